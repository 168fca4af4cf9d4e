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
    /// argument; a declaration without problems is laid out into a <see cref="NetworkSpec"/>.
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

            return Layout(declaration, dense, diagnostics) is { } spec
                ? new ValidationResult(spec, default)
                : new ValidationResult(null, diagnostics.ToEquatableArray());
        }

        private static void CheckClass(NetworkDeclaration declaration, List<DiagnosticInfo> diagnostics)
        {
            string name = declaration.Type.Name;
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
                if (GeneratedNames.IsGenerated(member.Name))
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

        /// <summary>Lays the buffers out; reports NG0009 instead when they would exceed <see cref="MaxElements"/>.</summary>
        private static NetworkSpec? Layout(NetworkDeclaration declaration, List<LayerDeclaration> dense, List<DiagnosticInfo> diagnostics)
        {
            var loss = (LossKind)declaration.Loss;
            int inputSize = declaration.Layers.First(layer => layer.IsInput).Size;
            long parameters = 0, activations = inputSize, deltas = 0;
            int previous = inputSize;
            foreach (LayerDeclaration layer in dense)
            {
                parameters += (long)previous * layer.Size + layer.Size;
                activations += layer.Size;
                deltas += layer.Size;
                previous = layer.Size;
            }

            bool needsLogits = loss != LossKind.MeanSquaredError;
            long total = parameters + activations + (needsLogits ? previous : 0);
            if (total > MaxElements)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.TooManyParameters, declaration.Identifier, declaration.Type.Name, total.ToString("N0", CultureInfo.InvariantCulture), MaxElements.ToString("N0", CultureInfo.InvariantCulture)));
                return null;
            }

            var layers = new LayerSpec[dense.Count];
            int parameterOffset = 0, inputOffset = 0, outputOffset = inputSize, deltaOffset = 0;
            previous = inputSize;
            var architecture = new System.Text.StringBuilder("Input(").Append(inputSize).Append(')');
            for (int i = 0; i < dense.Count; i++)
            {
                int outputs = dense[i].Size;
                var activation = (ActivationKind)dense[i].Activation;
                layers[i] = new LayerSpec(
                    Number: i + 1,
                    Inputs: previous,
                    Outputs: outputs,
                    activation,
                    WeightsOffset: parameterOffset,
                    BiasesOffset: parameterOffset + previous * outputs,
                    InputOffset: inputOffset,
                    OutputOffset: outputOffset,
                    DeltaOffset: deltaOffset,
                    Unrolled: (long)previous * outputs <= declaration.UnrollThreshold);
                architecture.Append(" Dense(").Append(outputs).Append(',').Append(activation).Append(')');
                parameterOffset += previous * outputs + outputs;
                inputOffset = outputOffset;
                outputOffset += outputs;
                deltaOffset += outputs;
                previous = outputs;
            }

            architecture.Append(" Loss=").Append(loss);
            string text = architecture.ToString();
            return new NetworkSpec(
                declaration.Type,
                loss,
                inputSize,
                new EquatableArray<LayerSpec>(layers),
                declaration.UnrollThreshold,
                ParameterCount: parameterOffset,
                LogitsOffset: needsLogits ? outputOffset : -1,
                ActivationCount: outputOffset + (needsLogits ? previous : 0),
                DeltaCount: deltaOffset,
                text,
                Fnv1a.Hash64(text),
                declaration.HasFusedMultiplyAdd);
        }

        private static bool HasUnreadableArgument(NetworkDeclaration declaration) =>
            declaration.Loss == LayerDeclaration.Unreadable
            || declaration.Layers.Any(layer => layer.Size == LayerDeclaration.Unreadable || layer.Activation == LayerDeclaration.Unreadable);

        private static ValidationResult Invalid(DiagnosticInfo diagnostic) =>
            new(null, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));

        private static string Describe(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
