using System;
using NetGen.Generator.Emitters;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.GeneratedNames;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// Writes the batched passes and the split passes of the class frame: both compose the same per-layer batched
    /// methods (see <see cref="ILayerEmitter"/>), which is what makes a split step agree with a whole one bit for bit.
    /// </summary>
    internal static partial class Emitter
    {
        private const string Workspace = "global::NetGen.BatchWorkspace";

        private static void WriteBatchApi(IndentedWriter writer, NetworkSpec spec, LayerContext[] layers)
        {
            LayerContext output = layers[layers.Length - 1];
            string element = spec.Element.Keyword;
            writer.Line("/// <inheritdoc/>");
            writer.Line($"public {Workspace} {CreateWorkspace}(int capacity) =>");
            string sizes = $"capacity, {InputSize}, {ActivationCount}, {DeltaCount}, {ParameterCount}, {(spec.Layout.TransposeCount > 0 ? TransposeCount : "0")}, {ArchitectureFingerprint}";
            writer.Line(HasConvolution(spec) ? $"    new {Workspace}(" : $"    new {Workspace}({sizes});");
            if (HasConvolution(spec))
            {
                writer.Line($"        {sizes}, {ScratchLength});");
            }
            writer.Line();

            writer.Line("/// <inheritdoc/>");
            using (writer.Block($"public void {ForwardBatch}({Workspace} workspace, {spec.Element.ReadOnlySpan} inputs, {spec.Element.Span} outputs)"))
            {
                writer.Line($"int count = global::NetGen.NetworkErrors.BatchCount(workspace, {ArchitectureFingerprint}, nameof(inputs), inputs.Length, {InputSize});");
                writer.Line($"global::NetGen.NetworkErrors.CheckLength(nameof(outputs), count * {OutputSize}, outputs.Length);");
                writer.Line("workspace.SetInputRows(inputs);");
                foreach (LayerContext layer in layers)
                {
                    if (LayerEmitters.For(layer.Spec).BatchPreparation(layer, "0", layer.Outputs) is { } preparation)
                    {
                        writer.Line(preparation);
                    }
                }

                writer.Line("// One block of samples at a time through every layer: a block's inputs and a layer's weights fit in L2 together.");
                using (writer.Block($"for (int first = 0; first < count; first += {ForwardSampleBlock})"))
                {
                    writer.Line($"int block = global::System.Math.Min({ForwardSampleBlock}, count - first);");
                    foreach (LayerContext layer in layers)
                    {
                        writer.Line($"{layer.Name("ForwardBatch")}(workspace, first, block, 0, {layer.Outputs});");
                    }

                    if (output.Spec.Activation == ActivationKind.Softmax)
                    {
                        writer.Line($"{SoftmaxRows}(workspace, first, first + block);");
                    }
                }

                writer.Line();
                writer.Line($"workspace.ActivationRows({output.OutputOffset}, {OutputSize}, 0, count).CopyTo(outputs);");
                writer.Line("workspace.Count = count;");
            }

            writer.Line();
            writer.Line("/// <inheritdoc/>");
            using (writer.Block($"public {element} {BackwardBatch}({Workspace} workspace, {spec.Element.ReadOnlySpan} targets)"))
            {
                writer.Line($"{element} loss = {EvaluateLossBatch}(workspace, targets);");
                writer.Line("int count = workspace.Count;");
                for (int i = layers.Length - 1; i >= 0; i--)
                {
                    WriteLayerBackwardBatch(writer, layers, layers[i]);
                }

                writer.Line("return loss;");
            }

            writer.Line();
            writer.Line("/// <inheritdoc/>");
            using (writer.Block($"public {element} {EvaluateLossBatch}({Workspace} workspace, {spec.Element.ReadOnlySpan} targets)"))
            {
                writer.Line($"global::NetGen.NetworkErrors.BatchCount(workspace, {ArchitectureFingerprint}, nameof(targets), targets.Length, {OutputSize});");
                writer.Line($"global::NetGen.NetworkErrors.CheckBatchTargets(workspace, targets.Length, {OutputSize});");
                writer.Line($"return {BatchLossRows}(workspace, targets, 0, workspace.Count);");
            }

            writer.Line();
            WriteBatchLossRows(writer, spec, output);
            if (output.Spec.Activation == ActivationKind.Softmax)
            {
                WriteSoftmaxRows(writer, spec, output);
            }
        }

        /// <summary>
        /// One layer's whole batched backward: its parameter gradients, then (see <see cref="InputDeltaStatements"/>)
        /// dLoss/d(its input); the split passes run the same statements over shares of the ranges.
        /// </summary>
        private static void WriteLayerBackwardBatch(IndentedWriter writer, LayerContext[] layers, LayerContext layer)
        {
            if (WritesGradients(layer))
            {
                writer.Line(WeightGradientsStatement(layer, "0", layer.Outputs));
            }

            foreach (string statement in InputDeltaStatements(layers, layer, "0", layer.Inputs))
            {
                writer.Line(statement);
            }
        }

        private static string WeightGradientsStatement(LayerContext layer, string firstOutput, string endOutput) =>
            $"{layer.Name("WeightGradientsBatch")}(workspace, count, {firstOutput}, {endOutput});";

        /// <summary>
        /// dLoss/d(the layer's input) for inputs [firstInput, endInput), then the previous layer's activation backward on
        /// the same range, which leaves that layer's δ ready for its own gradients; nothing for the first layer.
        /// </summary>
        private static string[] InputDeltaStatements(LayerContext[] layers, LayerContext layer, string firstInput, string endInput)
        {
            if (!layer.Layout.HasInputDelta)
            {
                return Array.Empty<string>();
            }

            string inputDelta = $"{layer.Name("InputDeltaBatch")}(workspace, count, {firstInput}, {endInput});";
            LayerContext previous = layers[layer.Number - 2];
            return previous.HasActivationBackward
                ? new[] { inputDelta, $"{previous.Name("ActivationBackwardBatch")}(workspace, count, {firstInput}, {endInput});" }
                : new[] { inputDelta };
        }

        private static bool WritesGradients(LayerContext layer) => layer.Spec.ParameterCount > 0;

        private static void WriteBatchLossRows(IndentedWriter writer, NetworkSpec spec, LayerContext output)
        {
            string element = spec.Element.Keyword;
            GeneratedMember.WriteHeader(
                writer,
                "The summed loss of samples [firstRow, endRow) against their rows of <paramref name=\"targets\"/>, and their output δ.",
                $"private {element} {BatchLossRows}({Workspace} workspace, {spec.Element.ReadOnlySpan} targets, int firstRow, int endRow)");
            using (writer.Block())
            {
                writer.Line($"{element} loss = {spec.Element.Literal("0")};");
                using (writer.Block("for (int row = firstRow; row < endRow; row++)"))
                {
                    writer.Line($"loss += {SampleLoss}(");
                    writer.Line($"    workspace.ActivationRows({output.OutputOffset}, {OutputSize}, row, 1),");
                    if (output.Layout.KeepsLogits)
                    {
                        writer.Line($"    workspace.ActivationRows({output.LogitsOffset}, {OutputSize}, row, 1),");
                    }

                    writer.Line($"    workspace.DeltaRows({output.DeltaOffset}, {OutputSize}, row, 1),");
                    writer.Line($"    targets.Slice(row * {OutputSize}, {OutputSize}));");
                }

                writer.Line();
                writer.Line("return loss;");
            }

            writer.Line();
        }

        /// <summary>
        /// Softmax over the output logits of samples [firstRow, endRow), once every output of a row is computed: each row
        /// shifted by its largest logit, then one vectorized exp over the whole block, since a row of a few outputs would
        /// leave most of its exps to the scalar tail.
        /// </summary>
        private static void WriteSoftmaxRows(IndentedWriter writer, NetworkSpec spec, LayerContext output)
        {
            string element = spec.Element.Keyword;
            GeneratedMember.WriteHeader(
                writer,
                "a = softmax(z) for the output rows [firstRow, endRow): each row shifted by its largest logit, then one vectorized exp over the block.",
                $"private static void {SoftmaxRows}({Workspace} workspace, int firstRow, int endRow)");
            using (writer.Block())
            {
                writer.Line($"{spec.Element.ReadOnlySpan} z = workspace.ActivationRows({output.LogitsOffset}, {OutputSize}, firstRow, endRow - firstRow);");
                writer.Line($"var a = workspace.ActivationRows({output.OutputOffset}, {OutputSize}, firstRow, endRow - firstRow);");
                using (writer.Block($"for (int row = 0; row < a.Length; row += {OutputSize})"))
                {
                    writer.Line($"{element} max = z[row];");
                    using (writer.Block($"for (int output = 1; output < {OutputSize}; output++)"))
                    {
                        writer.Line($"max = {spec.Element.Math}.Max(max, z[row + output]);");
                    }

                    writer.Line();
                    using (writer.Block($"for (int output = 0; output < {OutputSize}; output++)"))
                    {
                        writer.Line("a[row + output] = z[row + output] - max;");
                    }
                }

                writer.Line();
                writer.Line("global::NetGen.VectorMath.Exp(a);");
                using (writer.Block($"for (int row = 0; row < a.Length; row += {OutputSize})"))
                {
                    writer.Line($"{element} total = {spec.Element.Literal("0")};");
                    using (writer.Block($"for (int output = 0; output < {OutputSize}; output++)"))
                    {
                        writer.Line("total += a[row + output];");
                    }

                    writer.Line();
                    writer.Line($"{element} scale = {spec.Element.Literal("1")} / total;");
                    using (writer.Block($"for (int output = 0; output < {OutputSize}; output++)"))
                    {
                        writer.Line("a[row + output] *= scale;");
                    }
                }
            }

            writer.Line();
        }

        private static void WriteSplitApi(IndentedWriter writer, NetworkSpec spec, LayerContext[] layers)
        {
            LayerContext output = layers[layers.Length - 1];
            writer.Line("/// <inheritdoc/>");
            using (writer.Block($"public void {ForwardLayerBatch}({Workspace} workspace, int layer, int firstOutput, int endOutput)"))
            {
                WriteLayerPassChecks(writer, firstLayerIndex: 0, "firstOutput", "endOutput", "OutputShape");
                WriteLayerSwitch(writer, layers, firstLayer: 1, layer =>
                    LayerEmitters.For(layer.Spec).BatchPreparation(layer, "firstOutput", "endOutput") is { } preparation ? new[] { preparation } : Array.Empty<string>());
                using (writer.Block($"for (int first = 0; first < count; first += {ForwardSampleBlock})"))
                {
                    writer.Line($"int block = global::System.Math.Min({ForwardSampleBlock}, count - first);");
                    WriteLayerSwitch(writer, layers, firstLayer: 1, layer => new[] { $"{layer.Name("ForwardBatch")}(workspace, first, block, firstOutput, endOutput);" });
                }
            }

            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line($"public {spec.Element.Keyword} {OutputLossBatch}(");
            writer.Line($"    {Workspace} workspace, {spec.Element.ReadOnlySpan} targets, {spec.Element.Span} outputs, int firstRow, int endRow)");
            using (writer.Block())
            {
                writer.Line($"int count = global::NetGen.NetworkErrors.SplitPassCount(workspace, {ArchitectureFingerprint});");
                writer.Line($"global::NetGen.NetworkErrors.CheckBatchTargets(workspace, targets.Length, {OutputSize});");
writer.Line($"global::NetGen.NetworkErrors.CheckLength(nameof(outputs), count * {OutputSize}, outputs.Length);");
                writer.Line("global::NetGen.NetworkErrors.CheckRange(firstRow, endRow, count, \"samples\");");
                if (output.Spec.Activation == ActivationKind.Softmax)
                {
                    writer.Line($"{SoftmaxRows}(workspace, firstRow, endRow);");
                }

                writer.Line($"workspace.ActivationRows({output.OutputOffset}, {OutputSize}, firstRow, endRow - firstRow).CopyTo(outputs.Slice(firstRow * {OutputSize}));");
                writer.Line($"return {BatchLossRows}(workspace, targets, firstRow, endRow);");
            }

            writer.Line();
            writer.Line("/// <inheritdoc/>");
            using (writer.Block($"public void {WeightGradientsBatch}({Workspace} workspace, int layer, int firstOutput, int endOutput)"))
            {
                WriteLayerPassChecks(writer, firstLayerIndex: 0, "firstOutput", "endOutput", "OutputShape");
                WriteLayerSwitch(writer, layers, firstLayer: 1, layer => WritesGradients(layer) ? new[] { WeightGradientsStatement(layer, "firstOutput", "endOutput") } : Array.Empty<string>());
            }

            writer.Line();
            writer.Line("/// <inheritdoc/>");
            using (writer.Block($"public void {InputDeltaBatch}({Workspace} workspace, int layer, int firstInput, int endInput)"))
            {
                WriteLayerPassChecks(writer, firstLayerIndex: 1, "firstInput", "endInput", "InputShape");
                WriteLayerSwitch(writer, layers, firstLayer: 2, layer => InputDeltaStatements(layers, layer, "firstInput", "endInput"));
            }

            writer.Line();
        }

        /// <summary>
        /// The checks a per-layer split pass opens with: the workspace and its sample count (as <c>count</c>), the layer
        /// index from <paramref name="firstLayerIndex"/> on, and the range [first, end) within the layer's
        /// <paramref name="shape"/> ("OutputShape" or "InputShape").
        /// </summary>
        private static void WriteLayerPassChecks(IndentedWriter writer, int firstLayerIndex, string first, string end, string shape)
        {
            writer.Line($"int count = global::NetGen.NetworkErrors.SplitPassCount(workspace, {ArchitectureFingerprint});");
            if (firstLayerIndex > 0)
            {
                writer.Line("// The first layer's inputs are the data, which need no δ.");
            }

            writer.Line($"global::NetGen.NetworkErrors.CheckLayer(layer, {firstLayerIndex}, {LayerTable}.Length);");
            string noun = shape == "OutputShape" ? "outputs" : "inputs";
            writer.Line($"global::NetGen.NetworkErrors.CheckRange({first}, {end}, {LayerTable}[layer].{shape}.Length, \"{noun}\");");
        }

        /// <summary>
        /// A switch on the zero-based <c>layer</c> argument with a case for each layer from <paramref name="firstLayer"/> on
        /// that has statements; a single statement shares its case's line. Nothing when no layer has any.
        /// </summary>
        private static void WriteLayerSwitch(IndentedWriter writer, LayerContext[] layers, int firstLayer, Func<LayerContext, string[]> statements)
        {
            var cases = new System.Collections.Generic.List<(int Index, string[] Statements)>();
            foreach (LayerContext layer in layers)
            {
                if (layer.Number >= firstLayer && statements(layer) is { Length: > 0 } body)
                {
                    cases.Add((layer.Number - 1, body));
                }
            }

            if (cases.Count == 0)
            {
                return;
            }

            using (writer.Block("switch (layer)"))
            {
                foreach ((int index, string[] body) in cases)
                {
                    if (body.Length == 1)
                    {
                        writer.Line($"case {index}: {body[0]} break;");
                        continue;
                    }

                    writer.Line($"case {index}:");
                    using (writer.Indent())
                    {
                        foreach (string statement in body)
                        {
                            writer.Line(statement);
                        }

                        writer.Line("break;");
                    }
                }
            }
        }
    }
}
