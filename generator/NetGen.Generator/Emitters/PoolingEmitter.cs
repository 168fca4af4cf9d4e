using System.Collections.Generic;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.GeneratedNames;

namespace NetGen.Generator.Emitters;

/// <summary>
/// Writes MaxPool2D and AvgPool2D layers: no parameters and no activation, so a forward pass and, after the first
/// layer, an input δ. Max pooling keeps nothing for its backward: it finds each window's maximum again in the input,
/// which costs a pass over the window but no arena slot and no index to write in the forward pass.
/// </summary>
internal sealed class PoolingEmitter : ILayerEmitter
{
    public static readonly PoolingEmitter Instance = new();

    private const string Kernels = "global::NetGen.Kernels.PoolingKernels";
    private const string Workspace = KernelCall.Workspace;

    private PoolingEmitter()
    {
    }

    public void WriteConstants(IndentedWriter writer, LayerContext layer)
    {
        Pool2DLayerSpec pool = Pool(layer);
        writer.Line($"private const int {layer.Name("Channels")} = {pool.Input.Channels}, {layer.Name("InputPlane")} = {pool.Input.Height * pool.Input.Width}, {layer.Name("OutputPlane")} = {pool.Output.Height * pool.Output.Width};");
        writer.Line($"private static readonly global::NetGen.Kernels.PoolingShape {layer.Name("Shape")} =");
        writer.Line($"    new({pool.Input.Channels}, {pool.Input.Height}, {pool.Input.Width}, size: {pool.Size}, stride: {pool.Stride});");
    }

    public string Summary(LayerContext layer) =>
        layer.SummaryRow(Pool(layer).KindName, Geometry(Pool(layer)));

    public IEnumerable<string> PyTorchModules(LayerContext layer)
    {
        Pool2DLayerSpec pool = Pool(layer);
        string module = pool.Pool == PoolKind.Max ? "MaxPool2d" : "AvgPool2d";
        yield return pool.Stride == pool.Size ? $"torch.nn.{module}({pool.Size})" : $"torch.nn.{module}({pool.Size}, stride={pool.Stride})";
    }

    public string LayerInfo(LayerContext layer) =>
        $"global::NetGen.LayerInfo.Pool2D({layer.Number - 1}, global::NetGen.LayerKind.{Pool(layer).KindName}, {layer.InputShapeExpression}, size: {Pool(layer).Size}, stride: {Pool(layer).Stride})";

    public void WriteInitialization(IndentedWriter writer, LayerContext layer)
    {
    }

    public void WriteSampleMethods(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        Pool2DLayerSpec pool = Pool(layer);
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n}, {pool.KindName} {layer.Spec.Input} → {layer.Spec.Output}: a{n} = {What(pool)} of each {Geometry(pool)} of {layer.InputSymbol}.",
            $"private void {layer.Name("Forward")}() =>");
        writer.Line($"    {Kernels}.{Method(pool, "ForwardBatch")}(");
        writer.Line($"        {layer.Name("Shape")}, {ActivationsField}.ReadOnlySlice({layer.InputOffset}, {layer.Inputs}), {ActivationsField}.Slice({layer.OutputOffset}, {layer.Outputs}),");
        writer.Line($"        count: 1, firstChannel: 0, endChannel: {layer.Name("Channels")});");
        writer.Line();
        if (!layer.HasBackward)
        {
            return;
        }

        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n} backward: dLoss/d{layer.InputSymbol} = {Route(pool, n)}.",
            $"private void {layer.Name("Backward")}() =>");
        var arguments = new List<string> { $"    {layer.Name("Shape")}" };
        if (pool.Pool == PoolKind.Max)
        {
            arguments.Add($"    {ActivationsField}.ReadOnlySlice({layer.InputOffset}, {layer.Inputs})");
        }

        arguments.Add($"    {DeltasField}.ReadOnlySlice({layer.DeltaOffset}, {layer.Outputs})");
        arguments.Add($"    {DeltasField}.Slice({layer.InputDeltaOffset}, {layer.Inputs})");
        arguments.Add($"    count: 1, firstChannel: 0, endChannel: {layer.Name("Channels")}");
        KernelCall.Write(writer, $"    {Kernels}.{Method(pool, "InputDeltaBatch")}", arguments.ToArray());
        writer.Line();
    }

    public void WriteBatchMethods(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        Pool2DLayerSpec pool = Pool(layer);
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n} on samples [first, first + count), outputs [firstOutput, endOutput) on channel boundaries: {What(pool)} of each window.",
            $"private void {layer.Name("ForwardBatch")}({Workspace} workspace, int first, int count, int firstOutput, int endOutput)");
        using (writer.Block())
        {
            writer.Line($"var (firstChannel, endChannel) = global::NetGen.NetworkErrors.ChannelRange(firstOutput, endOutput, {layer.Name("OutputPlane")});");
            KernelCall.Write(
                writer,
                $"{Kernels}.{Method(pool, "ForwardBatch")}",
                layer.Name("Shape"),
                KernelCall.Rows("ActivationRows", layer.InputOffset, layer.Inputs, "first"),
                KernelCall.Rows("ActivationRows", layer.OutputOffset, layer.Outputs, "first"),
                "count, firstChannel, endChannel");
        }

        writer.Line();
        if (!layer.Layout.HasInputDelta)
        {
            return;
        }

        GeneratedMember.WriteHeader(
            writer,
            $"dLoss/dA{n - 1} = {Route(pool, n)} over the batch, for inputs [firstInput, endInput) on channel boundaries.",
            $"private void {layer.Name("InputDeltaBatch")}({Workspace} workspace, int count, int firstInput, int endInput)");
        using (writer.Block())
        {
            writer.Line($"var (firstChannel, endChannel) = global::NetGen.NetworkErrors.ChannelRange(firstInput, endInput, {layer.Name("InputPlane")});");
            var arguments = new List<string> { layer.Name("Shape") };
            if (pool.Pool == PoolKind.Max)
            {
                arguments.Add(KernelCall.Rows("ActivationRows", layer.InputOffset, layer.Inputs));
            }

            arguments.Add(KernelCall.Rows("DeltaRows", layer.DeltaOffset, layer.Outputs));
            arguments.Add(KernelCall.Rows("DeltaRows", layer.InputDeltaOffset, layer.Inputs));
            arguments.Add("count, firstChannel, endChannel");
            KernelCall.Write(writer, $"{Kernels}.{Method(pool, "InputDeltaBatch")}", arguments.ToArray());
        }

        writer.Line();
    }

    public string? BatchPreparation(LayerContext layer, string firstOutput, string endOutput) => null;

    private static Pool2DLayerSpec Pool(LayerContext layer) => (Pool2DLayerSpec)layer.Spec;

    /// <summary>The kernel method: <c>MaxForwardBatch</c>, <c>AverageInputDeltaBatch</c>, …</summary>
    private static string Method(Pool2DLayerSpec pool, string pass) => (pool.Pool == PoolKind.Max ? "Max" : "Average") + pass;

    private static string What(Pool2DLayerSpec pool) => pool.Pool == PoolKind.Max ? "the maximum" : "the mean";

    private static string Route(Pool2DLayerSpec pool, int n) => pool.Pool == PoolKind.Max
        ? $"δ{n} routed to each window's first maximum, found again in the input"
        : $"δ{n} / {pool.Size * pool.Size} spread over each window";

    /// <summary>"2×2 window, stride 2".</summary>
    private static string Geometry(Pool2DLayerSpec pool) => $"{pool.Size}×{pool.Size} window, stride {pool.Stride}";
}
