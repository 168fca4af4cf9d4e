using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.GeneratedNames;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// Writes the split passes: one layer at a time, over a range of its outputs (or, for the loss, of the samples), so
    /// that several threads can share one batch on one workspace by each computing its own columns. They call the same
    /// per-layer batched methods as <c>ForwardBatch</c> and <c>BackwardBatch</c>, which is what makes a split step agree
    /// with a whole one bit for bit.
    /// </summary>
    internal static partial class Emitter
    {
        private static void WriteSplitApi(IndentedWriter writer, NetworkSpec spec)
        {
            writer.Line("// Each layer's kind, shapes and parameter blocks, for code that works on a layer at a time.");
            writer.Line($"private static readonly global::NetGen.LayerInfo[] {LayerShapes} =");
            writer.Line("{");
            foreach (LayerSpec layer in spec.Layers)
            {
                int n = layer.Number;
                writer.Line($"    global::NetGen.LayerInfo.Dense({n - 1}, {Layer(n, "Inputs")}, {Layer(n, "Outputs")}, global::NetGen.Activation.{layer.Activation}, {Layer(n, "WeightsOffset")}, {Layer(n, "BiasesOffset")}),");
            }

            writer.Line("};");
            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line(GeneratedCode);
            writer.Line($"public global::System.Collections.Generic.IReadOnlyList<global::NetGen.LayerInfo> {Layers} => {LayerShapes};");
            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line(GeneratedCode);
            writer.Line("public global::NetGen.NetworkMode Mode { get; set; }");
            writer.Line();

            writer.Line("/// <inheritdoc/>");
            writer.Line(GeneratedCode);
            using (writer.Block($"public void {ForwardLayerBatch}(global::NetGen.BatchWorkspace workspace, int layer, int firstOutput, int endOutput)"))
            {
                WriteLayerPassChecks(writer, firstLayerIndex: 0, "firstOutput", "endOutput", "Outputs");
                WriteLayerSwitch(writer, spec, firstLayer: 1, layer =>
                {
                    if (UsesTransposedWeights(layer))
                    {
                        writer.Line($"{Layer(layer.Number, "TransposeWeights")}(workspace, firstOutput, endOutput);");
                    }

                    using (writer.Block($"for (int first = 0; first < count; first += {ForwardSampleBlock})"))
                    {
                        writer.Line($"{Layer(layer.Number, "ForwardBatch")}(workspace, first, global::System.Math.Min({ForwardSampleBlock}, count - first), firstOutput, endOutput);");
                    }
                });
            }

            writer.Line();
            LayerSpec output = spec.OutputLayer;
            writer.Line("/// <inheritdoc/>");
            writer.Line(GeneratedCode);
            using (writer.Block($"public float {OutputLossBatch}(global::NetGen.BatchWorkspace workspace, {ReadOnlySpan} targets, {Span} outputs, int firstRow, int endRow)"))
            {
                writer.Line($"int count = global::NetGen.NetworkErrors.SplitPassCount(workspace, {ArchitectureFingerprint});");
                writer.Line($"global::NetGen.NetworkErrors.CheckBatchTargets(workspace, targets.Length, {OutputSize});");
                using (writer.Block($"if (outputs.Length != count * {OutputSize})"))
                {
                    writer.Line($"global::NetGen.NetworkErrors.ThrowLengthMismatch(nameof(outputs), count * {OutputSize}, outputs.Length);");
                }

                writer.Line();
                writer.Line("global::NetGen.NetworkErrors.CheckRange(firstRow, endRow, count, \"samples\");");
                if (output.Activation == ActivationKind.Softmax)
                {
                    writer.Line($"{SoftmaxRows}(workspace, firstRow, endRow);");
                }

                writer.Line($"workspace.Activations.ReadOnlySlice(workspace.Capacity * {Layer(output.Number, "OutputOffset")} + firstRow * {OutputSize}, (endRow - firstRow) * {OutputSize})");
                writer.Line($"    .CopyTo(outputs.Slice(firstRow * {OutputSize}));");
                writer.Line($"return {BatchLossRows}(workspace, targets, firstRow, endRow);");
            }

            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line(GeneratedCode);
            using (writer.Block($"public void {WeightGradientsBatch}(global::NetGen.BatchWorkspace workspace, int layer, int firstOutput, int endOutput)"))
            {
                WriteLayerPassChecks(writer, firstLayerIndex: 0, "firstOutput", "endOutput", "Outputs");
                WriteLayerSwitch(writer, spec, firstLayer: 1, layer =>
                    writer.Line($"{Layer(layer.Number, "WeightGradientsBatch")}(workspace, count, firstOutput, endOutput);"));
            }

            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line(GeneratedCode);
            using (writer.Block($"public void {InputDeltaBatch}(global::NetGen.BatchWorkspace workspace, int layer, int firstInput, int endInput)"))
            {
                WriteLayerPassChecks(writer, firstLayerIndex: 1, "firstInput", "endInput", "Inputs");
                WriteLayerSwitch(writer, spec, firstLayer: 2, layer =>
                    writer.Line($"{Layer(layer.Number, "InputDeltaBatch")}(workspace, count, firstInput, endInput);"));
            }

            writer.Line();
        }

        /// <summary>
        /// The checks a per-layer split pass opens with: the workspace and its sample count (as <c>count</c>), the layer
        /// index from <paramref name="firstLayerIndex"/> on, and the range [first, end) within the layer's
        /// <paramref name="size"/> ("Outputs" or "Inputs").
        /// </summary>
        private static void WriteLayerPassChecks(IndentedWriter writer, int firstLayerIndex, string first, string end, string size)
        {
            writer.Line($"int count = global::NetGen.NetworkErrors.SplitPassCount(workspace, {ArchitectureFingerprint});");
            if (firstLayerIndex > 0)
            {
                writer.Line("// The first layer's inputs are the data, which need no δ.");
            }

            writer.Line($"global::NetGen.NetworkErrors.CheckLayer(layer, {firstLayerIndex}, {LayerShapes}.Length);");
            writer.Line($"global::NetGen.NetworkErrors.CheckRange({first}, {end}, {LayerShapes}[layer].{(size == "Outputs" ? "OutputShape" : "InputShape")}.Length, \"{size.ToLowerInvariant()}\");");
        }

        /// <summary>A switch on the zero-based <c>layer</c> argument with one case per layer from <paramref name="firstLayer"/> on; the arguments are checked before it.</summary>
        private static void WriteLayerSwitch(IndentedWriter writer, NetworkSpec spec, int firstLayer, System.Action<LayerSpec> writeCase)
        {
            if (spec.Layers.Length < firstLayer)
            {
                return;
            }

            using (writer.Block("switch (layer)"))
            {
                foreach (LayerSpec layer in spec.Layers)
                {
                    if (layer.Number < firstLayer)
                    {
                        continue;
                    }

                    writer.Line($"case {layer.Number - 1}:");
                    using (writer.Indent())
                    {
                        writeCase(layer);
                        writer.Line("break;");
                    }
                }
            }
        }
    }
}
