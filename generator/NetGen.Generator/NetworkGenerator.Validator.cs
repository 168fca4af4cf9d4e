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
            List<LayerDeclaration>? dense = CheckLayers(declaration, diagnostics);
            if (dense is not null)
            {
                CheckActivations(declaration, dense, diagnostics);
            }

            if (diagnostics.Count > 0 || dense is null)
            {
                return new ValidationResult(null, diagnostics.ToEquatableArray());
            }

            LayerSpec[] layers = BuildLayers(declaration, dense, out TensorShape input);
            if (!FitsInMemory(declaration, input, layers, diagnostics))
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

        /// <summary>Checks the layer sequence; returns the Dense layers when it is well formed.</summary>
        private static List<LayerDeclaration>? CheckLayers(NetworkDeclaration declaration, List<DiagnosticInfo> diagnostics)
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
            var dense = layers.Where(layer => !layer.IsInput).ToList();
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

            if (dense.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoDenseLayer, declaration.Identifier, name));
            }

            foreach (LayerDeclaration layer in layers)
            {
                if (layer.Size <= 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeNotPositive, layer.SizeArgument, Describe(layer.Size)));
                }
            }

            return inputs.Count == 1 && dense.Count > 0 ? dense : null;
        }

        private static void CheckActivations(NetworkDeclaration declaration, List<LayerDeclaration> dense, List<DiagnosticInfo> diagnostics)
        {
            string name = declaration.Type.Name;
            for (int i = 0; i < dense.Count; i++)
            {
                LayerDeclaration layer = dense[i];
                if (!Enum.IsDefined(typeof(ActivationKind), layer.Activation))
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.UndefinedEnumValue, layer.ActivationArgument, Describe(layer.Activation), "Activation", ActivationNames));
                }
                else if (i < dense.Count - 1 && (ActivationKind)layer.Activation == ActivationKind.Softmax)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxOnHiddenLayer, layer.ActivationArgument, (i + 1).ToString(CultureInfo.InvariantCulture)));
                }
            }

            LayerDeclaration last = dense[dense.Count - 1];
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

        /// <summary>The layers in order, each with the shape it reads: the previous layer's output, or the input.</summary>
        private static LayerSpec[] BuildLayers(NetworkDeclaration declaration, List<LayerDeclaration> dense, out TensorShape input)
        {
            input = TensorShape.Vector(declaration.Layers.First(layer => layer.IsInput).Size);
            var layers = new LayerSpec[dense.Count];
            TensorShape previous = input;
            for (int i = 0; i < dense.Count; i++)
            {
                var output = TensorShape.Vector(dense[i].Size);
                layers[i] = new DenseLayerSpec(i + 1, previous, output, (ActivationKind)dense[i].Activation);
                previous = output;
            }

            return layers;
        }

        /// <summary>Reports NG0009 when the parameters and one sample's activations would exceed <see cref="MaxElements"/>.</summary>
        private static bool FitsInMemory(NetworkDeclaration declaration, TensorShape input, LayerSpec[] layers, List<DiagnosticInfo> diagnostics)
        {
            long parameters = 0, activations = input.Length;
            foreach (LayerSpec layer in layers)
            {
                parameters += layer is DenseLayerSpec dense ? (long)dense.Inputs * dense.Outputs + dense.Outputs : layer.ParameterCount;
                activations += layer.Output.Length;
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
            || declaration.Layers.Any(layer => layer.Size == LayerDeclaration.Unreadable || layer.Activation == LayerDeclaration.Unreadable);

        private static ValidationResult Invalid(DiagnosticInfo diagnostic) =>
            new(null, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));

        private static string Describe(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
