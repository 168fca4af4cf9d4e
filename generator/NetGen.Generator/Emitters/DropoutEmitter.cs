using System.Collections.Generic;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.GeneratedNames;

namespace NetGen.Generator.Emitters;

/// <summary>
/// Writes Dropout layers: in training, a = x ⊙ m with a mask m of 0 or 1/(1 − rate) per value that the layer keeps
/// for its backward; in evaluation, a = x and m = 1. Masks come from <c>NetGen.Kernels.DropoutKernels</c>'s
/// counter-based hash of a key, the batch row and the value's index, so that a seeded run draws the same masks however
/// its batches are split among threads.
/// </summary>
internal sealed class DropoutEmitter : ILayerEmitter
{
    public static readonly DropoutEmitter Instance = new();

    private const string Kernels = "global::NetGen.Kernels.DropoutKernels";
    private const string Workspace = KernelCall.Workspace;
    private const string TrainingMode = "global::NetGen.NetworkMode.Training";

    private DropoutEmitter()
    {
    }

    public void WriteConstants(IndentedWriter writer, LayerContext layer)
    {
        writer.Line($"private const int {layer.Name("MaskOffset")} = {layer.Layout.MaskOffset};");
        writer.Line($"private const float {layer.Name("Rate")} = {Dropout(layer).RateLiteral};");
        ulong keyOffset = unchecked((ulong)layer.Number * 0x9E3779B97F4A7C15UL);
        writer.Line($"// Set apart from the other dropout layers' masks: each layer adds {layer.Number} × 2⁶⁴/φ (mod 2⁶⁴) to the step's key.");
        writer.Line($"private const ulong {layer.Name("KeyOffset")} = 0x{keyOffset.ToString("X16", System.Globalization.CultureInfo.InvariantCulture)}UL;");
    }

    public string Summary(LayerContext layer) =>
        layer.SummaryRow("Dropout", $"rate {Dropout(layer).RateText}");

    public IEnumerable<string> PyTorchModules(LayerContext layer)
    {
        yield return $"torch.nn.Dropout(p={Dropout(layer).RateText})";
    }

    public string LayerInfo(LayerContext layer) =>
        $"global::NetGen.LayerInfo.Dropout({layer.Number - 1}, {layer.InputShapeExpression}, {layer.Name("Rate")})";

    public void WriteInitialization(IndentedWriter writer, LayerContext layer)
    {
    }

    public void WriteSampleMethods(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n}, Dropout({Dropout(layer).RateText}): a{n} = {layer.InputSymbol} ⊙ m{n} in training, with a new mask per call; a{n} = {layer.InputSymbol} in evaluation.",
            $"private void {layer.Name("Forward")}()");
        using (writer.Block())
        {
            writer.Line($"var x = {ActivationsField}.ReadOnlySlice({layer.InputOffset}, {layer.Inputs});");
            writer.Line($"var a = {ActivationsField}.Slice({layer.OutputOffset}, {layer.Outputs});");
            writer.Line($"var mask = {ActivationsField}.Slice({layer.Name("MaskOffset")}, {layer.Outputs});");
            using (writer.Block($"if ({Mode} == {TrainingMode})"))
            {
                KernelCall.Write(
                    writer,
                    $"{Kernels}.TrainingForwardBatch",
                    $"x, a, mask, {layer.Name("Rate")}, {DropoutDrawsField} + {layer.Name("KeyOffset")}",
                    $"firstRow: 0, count: 1, {layer.Outputs}, 0, {layer.Outputs}");
            }

            using (writer.Block("else"))
            {
                writer.Line($"{Kernels}.EvaluationForwardBatch(x, a, mask, count: 1, {layer.Outputs}, 0, {layer.Outputs});");
            }
        }

        writer.Line();
        if (!layer.HasBackward)
        {
            return;
        }

        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n} backward: dLoss/d{layer.InputSymbol} = δ{n} ⊙ m{n}, the mask of the last Forward.",
            $"private void {layer.Name("Backward")}() =>");
        writer.Line($"    {Kernels}.InputDeltaBatch(");
        writer.Line($"        {DeltasField}.ReadOnlySlice({layer.DeltaOffset}, {layer.Outputs}), {ActivationsField}.ReadOnlySlice({layer.Name("MaskOffset")}, {layer.Outputs}),");
        writer.Line($"        {DeltasField}.Slice({layer.InputDeltaOffset}, {layer.Inputs}), count: 1, {layer.Outputs}, 0, {layer.Outputs});");
        writer.Line();
    }

    public void WriteBatchMethods(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n} on samples [first, first + count), outputs [firstOutput, endOutput): A{n} = {(n == 1 ? "X" : $"A{n - 1}")} ⊙ M{n} in training, with the masks of workspace.DropoutKey; the identity in evaluation.",
            $"private void {layer.Name("ForwardBatch")}({Workspace} workspace, int first, int count, int firstOutput, int endOutput)");
        using (writer.Block())
        {
            writer.Line($"var x = {KernelCall.Rows("ActivationRows", layer.InputOffset, layer.Inputs, "first")};");
            writer.Line($"var a = {KernelCall.Rows("ActivationRows", layer.OutputOffset, layer.Outputs, "first")};");
            writer.Line($"var mask = {KernelCall.Rows("ActivationRows", layer.Name("MaskOffset"), layer.Outputs, "first")};");
            using (writer.Block($"if ({Mode} == {TrainingMode})"))
            {
                KernelCall.Write(
                    writer,
                    $"{Kernels}.TrainingForwardBatch",
                    $"x, a, mask, {layer.Name("Rate")}, workspace.DropoutKey + {layer.Name("KeyOffset")}",
                    $"workspace.DropoutFirstRow + first, count, {layer.Outputs}, firstOutput, endOutput");
            }

            using (writer.Block("else"))
            {
                writer.Line($"{Kernels}.EvaluationForwardBatch(x, a, mask, count, {layer.Outputs}, firstOutput, endOutput);");
            }
        }

        writer.Line();
        if (!layer.Layout.HasInputDelta)
        {
            return;
        }

        GeneratedMember.WriteHeader(
            writer,
            $"dLoss/dA{n - 1} = δ{n} ⊙ M{n} over the batch, for inputs [firstInput, endInput).",
            $"private void {layer.Name("InputDeltaBatch")}({Workspace} workspace, int count, int firstInput, int endInput) =>");
        KernelCall.Write(
            writer,
            $"    {Kernels}.InputDeltaBatch",
            $"    {KernelCall.Rows("DeltaRows", layer.DeltaOffset, layer.Outputs)}",
            $"    {KernelCall.Rows("ActivationRows", layer.Name("MaskOffset"), layer.Outputs)}",
            $"    {KernelCall.Rows("DeltaRows", layer.InputDeltaOffset, layer.Inputs)}",
            $"    count, {layer.Outputs}, firstInput, endInput");
        writer.Line();
    }

    public string? BatchPreparation(LayerContext layer, string firstOutput, string endOutput) => null;

    private static DropoutLayerSpec Dropout(LayerContext layer) => (DropoutLayerSpec)layer.Spec;
}
