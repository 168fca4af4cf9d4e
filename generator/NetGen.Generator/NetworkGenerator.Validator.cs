using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// Judges a <see cref="NetworkDeclaration"/>: every problem becomes a diagnostic at the offending attribute or
    /// argument; a declaration without problems becomes layer specs with their shapes, which <see cref="Layout"/> turns
    /// into a <see cref="NetworkSpec"/>.
    /// </summary>
    internal static class Validator
    {
        /// <summary>
        /// The most floats (parameters plus activations) one network may hold: 2^28, i.e. 1 GiB per buffer, well inside
        /// .NET's array limit so that no offset computation can overflow.
        /// </summary>
        public const long MaxElements = 1L << 28;

        private static readonly string ActivationNames = string.Join(", ", Enum.GetNames(typeof(ActivationKind)));
        private static readonly string LossNames = string.Join(", ", Enum.GetNames(typeof(LossKind)));

        public static ValidationResult Validate(NetworkDeclaration declaration, CancellationToken cancellationToken)
        {
            try
            {
                return ValidateCore(declaration, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return Invalid(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InternalError,
                    declaration.Identifier,
                    declaration.Type.Name,
                    exception.GetType().Name + " while checking the declaration: " + exception.Message));
            }
        }

        private static ValidationResult ValidateCore(NetworkDeclaration declaration, CancellationToken cancellationToken)
        {
            if (declaration.IsRepeatedApplication)
            {
                return new ValidationResult(null, default);
            }

            string name = declaration.Type.Name;
            if (declaration.InternalError is { } error)
            {
                return Invalid(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, declaration.Identifier, name, error));
            }

            var diagnostics = new List<DiagnosticInfo>();
            CheckClass(declaration, diagnostics);
            if (HasUnreadableArgument(declaration))
            {
                // The compiler already reports the attribute argument it could not bind; judging it again would only add noise.
                return new ValidationResult(null, diagnostics.ToEquatableArray());
            }

            CheckLoss(declaration, diagnostics);
            cancellationToken.ThrowIfCancellationRequested();
            List<LayerDeclaration>? body = CheckSequence(declaration, diagnostics);
            if (body is not null)
            {
                CheckArguments(declaration, body, diagnostics);
                CheckOutput(declaration, body, diagnostics);
            }

            if (diagnostics.Count > 0 || body is null)
            {
                return new ValidationResult(null, diagnostics.ToEquatableArray());
            }

            LayerSpec[]? layers = Shapes.Build(declaration, body, diagnostics, out TensorShape input);
            if (layers is null || !FitsInMemory(declaration, input, layers, diagnostics))
            {
                return new ValidationResult(null, diagnostics.ToEquatableArray());
            }

            return new ValidationResult(Layout.Build(declaration.Type, (LossKind)declaration.Loss, ElementType.Single, input, layers, declaration.UnrollThreshold), default);
        }

        private static void CheckClass(NetworkDeclaration declaration, List<DiagnosticInfo> diagnostics)
        {
            string name = declaration.Type.Name;
            if (declaration.Type.Keyword is not ("class" or "record"))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotClass, declaration.Identifier, name, declaration.Type.Keyword));
            }

            if (!declaration.IsPartial)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotPartial, declaration.Identifier, name));
            }

            if (declaration.NonPartialContainingType is { } container)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, declaration.ContainingTypeLocation, container, name));
            }

            if (declaration.IsGeneric)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkIsGeneric, declaration.Identifier, name));
            }

            if (!declaration.SupportsGeneratedCode)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedPlatform, declaration.Identifier, name, declaration.MissingSupport));
            }

            foreach (MemberName member in declaration.UserMembers)
            {
                if (GeneratedNames.Clashes(member.Name, member.Signature, ElementType.Single.Keyword))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberNameClash, member.Location, name, member.Name));
                }
            }
        }

        private static void CheckLoss(NetworkDeclaration declaration, List<DiagnosticInfo> diagnostics)
        {
            if (!Enum.IsDefined(typeof(LossKind), declaration.Loss))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UndefinedEnumValue, declaration.LossArgument, Describe(declaration.Loss), "Loss", LossNames));
            }

            if (declaration.UnrollThreshold < 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnrollThresholdNegative, declaration.UnrollThresholdArgument, Describe(declaration.UnrollThreshold)));
            }
        }

        /// <summary>Checks the order of the layer attributes; returns the layers after [Input] when it is well formed.</summary>
        private static List<LayerDeclaration>? CheckSequence(NetworkDeclaration declaration, List<DiagnosticInfo> diagnostics)
        {
            string name = declaration.Type.Name;
            var layers = declaration.Layers;
            int firstDeclaration = layers.Length > 0 ? layers[0].DeclarationIndex : 0;
            foreach (LayerDeclaration layer in layers)
            {
                if (layer.DeclarationIndex != firstDeclaration)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersOnSeveralDeclarations, layer.Attribute, name));
                    return null;
                }
            }

            var inputs = layers.Where(layer => layer.IsInput).ToList();
            var body = layers.Where(layer => !layer.IsInput).ToList();
            if (inputs.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputMissing, declaration.Identifier, name));
            }

            foreach (LayerDeclaration extra in inputs.Skip(1))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputDuplicated, extra.Attribute, name));
            }

            if (inputs.Count > 0 && !layers[0].IsInput)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputNotFirst, inputs[0].Attribute, name));
            }

            if (!body.Any(layer => layer.Kind == DeclaredKind.Dense))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoDenseLayer, declaration.Identifier, name));
            }

            return inputs.Count == 1 && body.Any(layer => layer.Kind == DeclaredKind.Dense) ? body : null;
        }

        /// <summary>The checks on each attribute's own arguments: sizes, padding, rates and activations.</summary>
        private static void CheckArguments(NetworkDeclaration declaration, List<LayerDeclaration> body, List<DiagnosticInfo> diagnostics)
        {
            LayerDeclaration input = declaration.Layers.First(layer => layer.IsInput);
            CheckPositive(input.Size, input.SizeArgument, input.Height == 1 && input.Width == 1 ? "Input size" : "Input channels", "an input needs at least 1 value", diagnostics);
            CheckPositive(input.Height, input.SecondArgument, "Input height", "an image has at least 1 row", diagnostics);
            CheckPositive(input.Width, input.ThirdArgument, "Input width", "an image has at least 1 column", diagnostics);

            int number = 0;
            foreach (LayerDeclaration layer in body)
            {
                number += layer.Kind == DeclaredKind.Flatten ? 0 : 1;
                switch (layer.Kind)
                {
                    case DeclaredKind.Dense:
                        CheckPositive(layer.Size, layer.SizeArgument, "Layer size", "a layer needs at least 1 unit", diagnostics);
                        break;
                    case DeclaredKind.Conv2D:
                        CheckPositive(layer.Size, layer.SizeArgument, "Filter count", "a convolution needs at least 1 filter", diagnostics);
                        CheckPositive(layer.KernelSize, layer.SecondArgument, "Kernel size", "a filter is at least 1 × 1", diagnostics);
                        CheckStride(layer, diagnostics);
                        if (layer.Padding < 0)
                        {
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PaddingNegative, layer.PaddingArgument, Describe(layer.Padding)));
                        }

                        break;
                    case DeclaredKind.MaxPool2D:
                    case DeclaredKind.AvgPool2D:
                        CheckPositive(layer.Size, layer.SizeArgument, "Window size", "a pooling window is at least 1 × 1", diagnostics);
                        CheckStride(layer, diagnostics);
                        break;
                    case DeclaredKind.Dropout:
                        if (layer.Rate is not (>= 0 and < 1))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(
                                DiagnosticDescriptors.DropoutRateOutOfRange, layer.SizeArgument, layer.Rate!.Value.ToString("R", CultureInfo.InvariantCulture)));
                        }

                        break;
                }

                if (layer.Kind is DeclaredKind.Dense or DeclaredKind.Conv2D)
                {
                    CheckActivation(layer, number, isLast: layer == body[body.Count - 1], diagnostics);
                }
            }
        }

        /// <summary>A named Stride, when written, must be positive (0 stands for "not written").</summary>
        private static void CheckStride(LayerDeclaration layer, List<DiagnosticInfo> diagnostics)
        {
            if (layer.Stride < 0 || (layer.Stride == 0 && layer.StrideArgument != layer.Attribute))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.SizeNotPositive, layer.StrideArgument, "Stride", Describe(layer.Stride), "a window moves by at least 1"));
            }
        }

        private static void CheckPositive(int value, SourceSpan location, string what, string why, List<DiagnosticInfo> diagnostics)
        {
            if (value <= 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeNotPositive, location, what, Describe(value), why));
            }
        }

        private static void CheckActivation(LayerDeclaration layer, int number, bool isLast, List<DiagnosticInfo> diagnostics)
        {
            if (!Enum.IsDefined(typeof(ActivationKind), layer.Activation))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UndefinedEnumValue, layer.ActivationArgument, Describe(layer.Activation), "Activation", ActivationNames));
            }
            else if (!isLast && (ActivationKind)layer.Activation == ActivationKind.Softmax)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxOnHiddenLayer, layer.ActivationArgument, Describe(number)));
            }
        }

        /// <summary>The last layer must be Dense, and its activation must suit the loss.</summary>
        private static void CheckOutput(NetworkDeclaration declaration, List<LayerDeclaration> body, List<DiagnosticInfo> diagnostics)
        {
            string name = declaration.Type.Name;
            LayerDeclaration last = body[body.Count - 1];
            if (last.Kind != DeclaredKind.Dense)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputNotDense, last.Attribute, name, last.Kind.ToString()));
                return;
            }

            if (!Enum.IsDefined(typeof(ActivationKind), last.Activation) || !Enum.IsDefined(typeof(LossKind), declaration.Loss))
            {
                return;
            }

            var output = (ActivationKind)last.Activation;
            var loss = (LossKind)declaration.Loss;
            if (output == ActivationKind.Softmax && loss != LossKind.CrossEntropy)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxWithoutCrossEntropy, declaration.LossArgument, name, loss.ToString()));
            }
            else if (loss == LossKind.CrossEntropy && output != ActivationKind.Softmax)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CrossEntropyWithoutSoftmax, last.ActivationArgument, name, output.ToString()));
            }
            else if (loss == LossKind.BinaryCrossEntropy && output != ActivationKind.Sigmoid)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BinaryCrossEntropyWithoutSigmoid, last.ActivationArgument, name, output.ToString()));
            }
        }

        /// <summary>Reports NG0009 when the parameters and one sample's activations would exceed <see cref="MaxElements"/>.</summary>
        private static bool FitsInMemory(NetworkDeclaration declaration, TensorShape input, LayerSpec[] layers, List<DiagnosticInfo> diagnostics)
        {
            long parameters = 0, activations = input.Length;
            foreach (LayerSpec layer in layers)
            {
                parameters += layer.Parameters;
                activations += layer.Output.Length * (layer is DropoutLayerSpec ? 2L : 1L);
            }

            bool needsLogits = (LossKind)declaration.Loss != LossKind.MeanSquaredError;
            long total = parameters + activations + (needsLogits ? layers[layers.Length - 1].Output.Length : 0);
            if (total <= MaxElements)
            {
                return true;
            }

            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.TooManyParameters, declaration.Identifier, declaration.Type.Name, total.ToString("N0", CultureInfo.InvariantCulture), MaxElements.ToString("N0", CultureInfo.InvariantCulture)));
            return false;
        }

        private static bool HasUnreadableArgument(NetworkDeclaration declaration) =>
            declaration.Loss == LayerDeclaration.Unreadable
            || declaration.Layers.Any(layer => layer.HasUnreadableArgument);

        private static ValidationResult Invalid(DiagnosticInfo diagnostic) =>
            new(null, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));

        internal static string Describe(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
