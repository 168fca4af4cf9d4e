using System.Collections.Generic;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.GeneratedNames;

namespace NetGen.Generator.Emitters;

/// <summary>
/// Writes Conv2D layers: a[f] = f(b[f] + Σ_c W[f, c] ⊛ x[c]), with W [filters, channels, kernel, kernel] as PyTorch
/// stores it and b [filters] after it. Every pass calls <c>NetGen.Kernels.ConvolutionKernels</c> with the layer's
/// geometry in a static <c>ConvolutionShape</c>; the kernels work on whole channels, so split passes take ranges on
/// channel boundaries.
/// </summary>
internal sealed class ConvolutionEmitter : ILayerEmitter
{
    public static readonly ConvolutionEmitter Instance = new();

    private const string Kernels = "global::NetGen.Kernels.ConvolutionKernels";
    private const string Workspace = KernelCall.Workspace;

    private ConvolutionEmitter()
    {
    }

    public void WriteConstants(IndentedWriter writer, LayerContext layer)
    {
        Conv2DLayerSpec conv = Conv(layer);
        writer.Line($"private const int {layer.Name("WeightsOffset")} = {layer.Layout.ParameterOffset}, {layer.Name("BiasesOffset")} = {layer.Layout.ParameterOffset + conv.WeightCount}, {layer.Name("WeightCount")} = {conv.WeightCount};");
        writer.Line($"private const int {layer.Name("InputChannels")} = {conv.Input.Channels}, {layer.Name("Filters")} = {conv.Filters}, {layer.Name("InputPlane")} = {conv.Input.Height * conv.Input.Width}, {layer.Name("OutputPlane")} = {conv.Output.Height * conv.Output.Width};");
        writer.Line($"private static readonly global::NetGen.Kernels.ConvolutionShape {layer.Name("Shape")} =");
        writer.Line($"    new({conv.Input.Channels}, {conv.Input.Height}, {conv.Input.Width}, filters: {conv.Filters}, kernelSize: {conv.KernelSize}, stride: {conv.Stride}, padding: {conv.Padding});");
    }

    public string Summary(LayerContext layer) =>
        layer.SummaryRow("Conv2D", Geometry(Conv(layer)));

    public IEnumerable<string> PyTorchModules(LayerContext layer)
    {
        Conv2DLayerSpec conv = Conv(layer);
        string stride = conv.Stride != 1 ? $", stride={conv.Stride}" : "";
        string padding = conv.Padding != 0 ? $", padding={conv.Padding}" : "";
        yield return $"torch.nn.Conv2d({conv.Input.Channels}, {conv.Filters}, {conv.KernelSize}{stride}{padding})";
        if (ActivationCode.PyTorchModule(layer.Spec.Activation) is { } activation)
        {
            yield return activation;
        }
    }

    public string LayerInfo(LayerContext layer)
    {
        Conv2DLayerSpec conv = Conv(layer);
        return $"global::NetGen.LayerInfo.Conv2D({layer.Number - 1}, {layer.InputShapeExpression}, {layer.Name("Filters")}, kernelSize: {conv.KernelSize}, stride: {conv.Stride}, "
            + $"padding: {conv.Padding},\n    {ActivationCode.EnumValue(layer.Spec.Activation)}, {layer.Name("WeightsOffset")}, {layer.Name("BiasesOffset")})";
    }

    public void WriteInitialization(IndentedWriter writer, LayerContext layer)
    {
        Conv2DLayerSpec conv = Conv(layer);
        bool he = ActivationCode.UsesHeInitialization(layer.Spec.Activation);
        writer.Line($"// Layer {layer.Number} ({layer.Spec.Activation}): {(he ? "He" : "Xavier")}-uniform weights over each filter's {conv.PatchLength} inputs, zero biases.");
        writer.Line($"global::NetGen.ParameterInitializer.{(he ? "HeUniform" : "XavierUniform")}(");
        writer.Line($"    parameters.Slice({layer.Name("WeightsOffset")}, {layer.Name("WeightCount")}), fanIn: {conv.PatchLength}, fanOut: {layer.Name("Filters")}, ref random);");
        writer.Line($"parameters.Slice({layer.Name("BiasesOffset")}, {layer.Name("Filters")}).Clear();");
    }

    public void WriteSampleMethods(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n}, Conv2D {layer.Spec.Input} → {layer.Spec.Output}: a{n} = {Formula(layer, layer.InputSymbol)}, {Geometry(Conv(layer))}.",
            $"private void {layer.Name("Forward")}() =>");
        KernelCall.Write(
            writer,
            $"    {Kernels}.ForwardBatch<{ActivationCode.KernelType(layer.Spec.Activation)}>",
            $"    {layer.Name("Shape")}",
            $"    {ActivationsField}.ReadOnlySlice({layer.InputOffset}, {layer.Inputs})",
            $"    {Weights(layer)}",
            $"    {Biases(layer)}",
            $"    {ActivationsField}.Slice({layer.OutputOffset}, {layer.Outputs})",
            $"    {ScratchField}.Span",
            $"    count: 1, firstFilter: 0, endFilter: {layer.Name("Filters")}");
        writer.Line();

        string given = layer.Layout.AppliesOwnDerivative
            ? $"δ{n} = dLoss/da{n} ⊙ f'(z{n}) with f' = {ActivationCode.DescribeDerivative(layer.Spec.Activation, $"a{n}")}"
            : $"δ{n} = dLoss/dz{n} from the loss";
        string propagate = layer.Layout.HasInputDelta ? $"; dLoss/d{layer.InputSymbol} = W{n}ᵀ ⊛ δ{n}, the transposed convolution" : "";
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n} backward: {given}; dW{n} += δ{n} ⋆ {layer.InputSymbol}, db{n} += Σ δ{n} over each filter's outputs{propagate}.",
            $"private void {layer.Name("Backward")}()");
        using (writer.Block())
        {
            writer.Line($"var delta = {DeltasField}.Slice({layer.DeltaOffset}, {layer.Outputs});");
            if (layer.HasActivationBackward)
            {
                KernelCall.WriteActivationBackward(writer, layer, "delta");
            }

            KernelCall.Write(
                writer,
                $"{Kernels}.WeightGradientsBatch",
                $"{layer.Name("Shape")}",
                $"{ActivationsField}.ReadOnlySlice({layer.InputOffset}, {layer.Inputs})",
                "delta",
                $"{GradientsField}.Slice({layer.Name("WeightsOffset")}, {layer.Name("WeightCount")})",
                $"{GradientsField}.Slice({layer.Name("BiasesOffset")}, {layer.Name("Filters")})",
                $"{ScratchField}.Span",
                $"count: 1, firstFilter: 0, endFilter: {layer.Name("Filters")}");
            if (layer.Layout.HasInputDelta)
            {
                KernelCall.Write(
                    writer,
                    $"{Kernels}.InputDeltaBatch",
                    $"{layer.Name("Shape")}",
                    "delta",
                    Weights(layer),
                    $"{DeltasField}.Slice({layer.InputDeltaOffset}, {layer.Inputs})",
                    $"{ScratchField}.Span",
                    $"count: 1, firstChannel: 0, endChannel: {layer.Name("InputChannels")}");
            }
        }

        writer.Line();
    }

    public void WriteBatchMethods(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n} on samples [first, first + count), outputs [firstOutput, endOutput) on filter boundaries: A{n} = {Formula(layer, n == 1 ? "X" : $"A{n - 1}")}.",
            $"private void {layer.Name("ForwardBatch")}({Workspace} workspace, int first, int count, int firstOutput, int endOutput)");
        using (writer.Block())
        {
            writer.Line($"var (firstFilter, endFilter) = global::NetGen.NetworkErrors.ChannelRange(firstOutput, endOutput, {layer.Name("OutputPlane")});");
            KernelCall.Write(
                writer,
                $"{Kernels}.ForwardBatch<{ActivationCode.KernelType(layer.Spec.Activation)}>",
                layer.Name("Shape"),
                KernelCall.Rows("ActivationRows", layer.InputOffset, layer.Inputs, "first"),
                Weights(layer),
                Biases(layer),
                KernelCall.Rows("ActivationRows", layer.OutputOffset, layer.Outputs, "first"),
                "workspace.Scratch.Span",
                "count, firstFilter, endFilter");
        }

        writer.Line();
        if (layer.HasActivationBackward)
        {
            KernelCall.WriteActivationBackwardBatch(writer, layer);
        }

        string input = n == 1 ? "X" : $"A{n - 1}";
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n}'s gradients for outputs [firstOutput, endOutput) on filter boundaries: db{n} += Σ δ{n}, dW{n} += δ{n} ⋆ {input} over the batch.",
            $"private void {layer.Name("WeightGradientsBatch")}({Workspace} workspace, int count, int firstOutput, int endOutput)");
        using (writer.Block())
        {
            writer.Line($"var (firstFilter, endFilter) = global::NetGen.NetworkErrors.ChannelRange(firstOutput, endOutput, {layer.Name("OutputPlane")});");
            KernelCall.Write(
                writer,
                $"{Kernels}.WeightGradientsBatch",
                layer.Name("Shape"),
                KernelCall.Rows("ActivationRows", layer.InputOffset, layer.Inputs),
                KernelCall.Rows("DeltaRows", layer.DeltaOffset, layer.Outputs),
                $"workspace.Gradients.Slice({layer.Name("WeightsOffset")}, {layer.Name("WeightCount")})",
                $"workspace.Gradients.Slice({layer.Name("BiasesOffset")}, {layer.Name("Filters")})",
                "workspace.Scratch.Span",
                "count, firstFilter, endFilter");
        }

        writer.Line();
        if (!layer.Layout.HasInputDelta)
        {
            return;
        }

        GeneratedMember.WriteHeader(
            writer,
            $"dLoss/dA{n - 1} = W{n}ᵀ ⊛ δ{n} over the batch, for inputs [firstInput, endInput) on channel boundaries.",
            $"private void {layer.Name("InputDeltaBatch")}({Workspace} workspace, int count, int firstInput, int endInput)");
        using (writer.Block())
        {
            writer.Line($"var (firstChannel, endChannel) = global::NetGen.NetworkErrors.ChannelRange(firstInput, endInput, {layer.Name("InputPlane")});");
            KernelCall.Write(
                writer,
                $"{Kernels}.InputDeltaBatch",
                layer.Name("Shape"),
                KernelCall.Rows("DeltaRows", layer.DeltaOffset, layer.Outputs),
                Weights(layer),
                KernelCall.Rows("DeltaRows", layer.InputDeltaOffset, layer.Inputs),
                "workspace.Scratch.Span",
                "count, firstChannel, endChannel");
        }

        writer.Line();
    }

    public string? BatchPreparation(LayerContext layer, string firstOutput, string endOutput) => null;

    private static Conv2DLayerSpec Conv(LayerContext layer) => (Conv2DLayerSpec)layer.Spec;

    private static string Weights(LayerContext layer) => $"{ParametersField}.ReadOnlySlice({layer.Name("WeightsOffset")}, {layer.Name("WeightCount")})";

    private static string Biases(LayerContext layer) => $"{ParametersField}.ReadOnlySlice({layer.Name("BiasesOffset")}, {layer.Name("Filters")})";

    private static string Formula(LayerContext layer, string input) =>
        ActivationCode.Describe(layer.Spec.Activation, $"W{layer.Number} ⊛ {input} + b{layer.Number}");

    /// <summary>"6 filters of 5×5, stride 1, padding 0".</summary>
    private static string Geometry(Conv2DLayerSpec conv) =>
        $"{conv.Filters} filter{(conv.Filters == 1 ? "" : "s")} of {conv.KernelSize}×{conv.KernelSize}, stride {conv.Stride}, padding {conv.Padding}";
}
