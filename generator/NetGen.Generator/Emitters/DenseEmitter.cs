using System.Collections.Generic;
using System.Text;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.GeneratedNames;

namespace NetGen.Generator.Emitters;

/// <summary>
/// Writes Dense layers: z = x·W + b, a = f(z), with W [inputs × outputs] input-major (row i holds input i's weight to
/// every output, so the outputs are contiguous) and b [outputs] after it. Layers within the unroll threshold are written
/// out statement by statement; the others call the register-tiled kernels of <c>NetGen.Kernels.DenseKernels</c> with
/// their constant sizes.
/// </summary>
internal sealed class DenseEmitter : ILayerEmitter
{
    public static readonly DenseEmitter Instance = new();

    private const string Kernels = "global::NetGen.Kernels.DenseKernels";
    private const string ActivationKernels = KernelCall.ActivationKernels;
    private const string Workspace = KernelCall.Workspace;

    /// <summary>The partial sums a wide unrolled output is split into; "(sum0 + sum1) + (sum2 + sum3)" joins them.</summary>
    private const int UnrolledPartialSums = 4;

    private DenseEmitter()
    {
    }

    public void WriteConstants(IndentedWriter writer, LayerContext layer)
    {
        writer.Line($"private const int {layer.Name("WeightsOffset")} = {layer.Layout.ParameterOffset}, {layer.Name("BiasesOffset")} = {layer.Layout.ParameterOffset + Dense(layer).WeightCount};");
    }

    public string Summary(LayerContext layer)
    {
        string code = layer.Layout.Unrolled ? "unrolled" : "kernels";
        if (layer.Layout.UsesTransposedWeights)
        {
            code += ", batched from Wᵀ";
        }

        return layer.SummaryRow("Dense", code);
    }

    public IEnumerable<string> PyTorchModules(LayerContext layer)
    {
        if (Dense(layer).FlattensImage)
        {
            yield return "torch.nn.Flatten()";
        }

        yield return $"torch.nn.Linear({layer.Spec.Input.Length}, {layer.Spec.Output.Length})";
        if (ActivationCode.PyTorchModule(layer.Spec.Activation) is { } activation)
        {
            yield return activation;
        }
    }

    public string LayerInfo(LayerContext layer) =>
        $"global::NetGen.LayerInfo.Dense({layer.Number - 1}, {(Dense(layer).FlattensImage ? layer.InputShapeExpression + ",\n   " : layer.Inputs + ",")} {layer.Outputs}, {ActivationCode.EnumValue(layer.Spec.Activation)}, "
        + $"{layer.Name("WeightsOffset")}, {layer.Name("BiasesOffset")})";

    public void WriteInitialization(IndentedWriter writer, LayerContext layer)
    {
        bool he = ActivationCode.UsesHeInitialization(layer.Spec.Activation);
        writer.Line($"// Layer {layer.Number} ({layer.Spec.Activation}): {(he ? "He" : "Xavier")}-uniform weights, zero biases.");
        writer.Line($"global::NetGen.ParameterInitializer.{(he ? "HeUniform" : "XavierUniform")}(");
        writer.Line($"    parameters.Slice({layer.Name("WeightsOffset")}, {WeightCount(layer)}), {layer.Inputs}, {layer.Outputs}, ref random);");
        writer.Line($"parameters.Slice({layer.Name("BiasesOffset")}, {layer.Outputs}).Clear();");
    }

    public void WriteSampleMethods(IndentedWriter writer, LayerContext layer)
    {
        WriteForward(writer, layer);
        WriteBackward(writer, layer);
    }

    public void WriteBatchMethods(IndentedWriter writer, LayerContext layer)
    {
        WriteForwardBatch(writer, layer);
        if (layer.Layout.UsesTransposedWeights)
        {
            WriteTransposeWeights(writer, layer);
        }

        if (layer.HasActivationBackward)
        {
            KernelCall.WriteActivationBackwardBatch(writer, layer);
        }

        WriteWeightGradientsBatch(writer, layer);
        if (layer.Layout.HasInputDelta)
        {
            WriteInputDeltaBatch(writer, layer);
        }
    }

    public string? BatchPreparation(LayerContext layer, string firstOutput, string endOutput) =>
        layer.Layout.UsesTransposedWeights ? $"{layer.Name("TransposeWeights")}(workspace, {firstOutput}, {endOutput});" : null;

    private static DenseLayerSpec Dense(LayerContext layer) => (DenseLayerSpec)layer.Spec;

    private static string WeightCount(LayerContext layer) => $"{layer.Inputs} * {layer.Outputs}";

    private static string Formula(LayerContext layer, string input) =>
        $"{ActivationCode.Describe(layer.Spec.Activation, $"{input}·W{layer.Number} + b{layer.Number}")}";

    // ---- One sample -------------------------------------------------------------------------------------------------

    private static void WriteForward(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        string logits = layer.Layout.KeepsLogits ? $", keeping z{n} for the loss" : "";
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n}, Dense {layer.Spec.Input} → {layer.Spec.Output}: a{n} = {Formula(layer, layer.InputSymbol)}{logits}.",
            $"private void {layer.Name("Forward")}()");
        using (writer.Block())
        {
            writer.Line($"var x = {ActivationsField}.ReadOnlySlice({layer.InputOffset}, {layer.Inputs});");
            writer.Line($"var w = {ParametersField}.ReadOnlySlice({layer.Name("WeightsOffset")}, {WeightCount(layer)});");
            writer.Line($"var b = {ParametersField}.ReadOnlySlice({layer.Name("BiasesOffset")}, {layer.Outputs});");
            writer.Line($"var a = {ActivationsField}.Slice({layer.OutputOffset}, {layer.Outputs});");
            if (layer.Layout.KeepsLogits)
            {
                writer.Line($"var z = {ActivationsField}.Slice({layer.LogitsOffset}, {layer.Outputs});");
            }

            if (layer.Layout.Unrolled)
            {
                WriteUnrolledForward(writer, layer);
            }
            else
            {
                string target = WritesLogitsFirst(layer) ? "z" : "a";
                string activation = ActivationCode.KernelType(WritesLogitsFirst(layer) ? ActivationKind.Identity : layer.Spec.Activation);
                writer.Line($"{Kernels}.Forward<{activation}>(x, w, b, {target}, {layer.Inputs}, {layer.Outputs});");
                WriteActivationFromLogits(writer, layer);
            }
        }

        writer.Line();
    }

    /// <summary>Whether the layer writes z and computes a from it afterwards: Softmax, and any layer that keeps its logits.</summary>
    private static bool WritesLogitsFirst(LayerContext layer) =>
        layer.Layout.KeepsLogits || layer.Spec.Activation == ActivationKind.Softmax;

    /// <summary>a from z for a layer that writes its logits first: the softmax of the row, or the activation over the span.</summary>
    private static void WriteActivationFromLogits(IndentedWriter writer, LayerContext layer)
    {
        if (layer.Spec.Activation == ActivationKind.Softmax)
        {
            writer.Line($"{SampleSoftmax}(z, a);");
        }
        else if (layer.Layout.KeepsLogits)
        {
            writer.Line($"{ActivationKernels}.ActivateLogits<{ActivationCode.KernelType(layer.Spec.Activation)}>(");
            writer.Line($"    z, a, 1, {layer.Outputs}, 0, {layer.Outputs});");
        }
    }

    /// <summary>
    /// Each output as b + Σ w·x written out. From 2 × <see cref="UnrolledPartialSums"/> inputs on, the sum is split into
    /// that many partial sums over every fourth input, so that four additions are in flight instead of one chain.
    /// </summary>
    private static void WriteUnrolledForward(IndentedWriter writer, LayerContext layer)
    {
        DenseLayerSpec dense = Dense(layer);
        bool split = dense.Inputs >= 2 * UnrolledPartialSums;
        writer.Line();
        if (split)
        {
            writer.Line($"// {UnrolledPartialSums} partial sums per output, over every {UnrolledPartialSums}th input: {UnrolledPartialSums} additions in flight.");
        }

        string target = WritesLogitsFirst(layer) ? "z" : "a";
        for (int output = 0; output < dense.Outputs; output++)
        {
            string Store(string sum) => WritesLogitsFirst(layer)
                ? $"{target}[{output}] = {sum};"
                : $"a[{output}] = {ActivationCode.Apply(layer.Spec.Activation, sum, layer.Element)};";

            if (!split)
            {
                writer.Line(Store($"b[{output}]{UnrolledTerms(dense, output, 0, 1)}"));
                continue;
            }

            using (writer.Block())
            {
                for (int chain = 0; chain < UnrolledPartialSums; chain++)
                {
                    string terms = UnrolledTerms(dense, output, chain, UnrolledPartialSums);
                    WriteWrapped(writer, $"{layer.Element.Keyword} sum{chain} = {(chain == 0 ? $"b[{output}]{terms}" : terms.Substring(" + ".Length))};");
                }

                writer.Line(Store("(sum0 + sum1) + (sum2 + sum3)"));
            }
        }

        WriteActivationFromLogits(writer, layer);
    }

    /// <summary>The widest generated statement before a sum of products is wrapped.</summary>
    private const int StatementWidth = 120;

    /// <summary>Writes a statement that is a long sum of products, continuing on indented lines before a " + ".</summary>
    private static void WriteWrapped(IndentedWriter writer, string statement)
    {
        if (statement.Length <= StatementWidth)
        {
            writer.Line(statement);
            return;
        }

        string[] terms = statement.Split(new[] { " + " }, System.StringSplitOptions.None);
        var line = new StringBuilder(terms[0]);
        bool first = true;
        for (int i = 1; i < terms.Length; i++)
        {
            if (line.Length + 3 + terms[i].Length > StatementWidth)
            {
                writer.Line((first ? "" : "    ") + line);
                first = false;
                line.Clear().Append("+ ").Append(terms[i]);
                continue;
            }

            line.Append(" + ").Append(terms[i]);
        }

        writer.Line((first ? "" : "    ") + line);
    }

    /// <summary>" + w[..] * x[i]" for inputs i = first, first + step, … of one output.</summary>
    private static string UnrolledTerms(DenseLayerSpec dense, int output, int first, int step)
    {
        var terms = new StringBuilder();
        for (int input = first; input < dense.Inputs; input += step)
        {
            terms.Append($" + w[{input * dense.Outputs + output}] * x[{input}]");
        }

        return terms.ToString();
    }

    private static void WriteBackward(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        string given = layer.Layout.AppliesOwnDerivative
            ? $"δ{n} = dLoss/da{n} ⊙ f'(z{n}) with f' = {ActivationCode.DescribeDerivative(layer.Spec.Activation, $"a{n}")}"
            : $"δ{n} = dLoss/dz{n} from the loss";
        string propagate = layer.Layout.HasInputDelta ? $"; dLoss/d{layer.InputSymbol} = W{n}·δ{n}" : "";
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n} backward: {given}; dW{n} += {layer.InputSymbol}ᵀ·δ{n}, db{n} += δ{n}{propagate}.",
            $"private void {layer.Name("Backward")}()");
        using (writer.Block())
        {
            writer.Line($"var x = {ActivationsField}.ReadOnlySlice({layer.InputOffset}, {layer.Inputs});");
            writer.Line($"var w = {ParametersField}.ReadOnlySlice({layer.Name("WeightsOffset")}, {WeightCount(layer)});");

            writer.Line($"var delta = {DeltasField}.Slice({layer.DeltaOffset}, {layer.Outputs});");
            writer.Line($"var weightGradients = {GradientsField}.Slice({layer.Name("WeightsOffset")}, {WeightCount(layer)});");
            writer.Line($"var biasGradients = {GradientsField}.Slice({layer.Name("BiasesOffset")}, {layer.Outputs});");
            string inputDelta = "default";
            if (layer.Layout.HasInputDelta)
            {
                writer.Line($"var inputDelta = {DeltasField}.Slice({layer.InputDeltaOffset}, {layer.Inputs});");
                inputDelta = "inputDelta";
            }

            if (layer.HasActivationBackward)
            {
                KernelCall.WriteActivationBackward(writer, layer, "delta");
            }

            writer.Line($"{Kernels}.Backward(x, w, delta, weightGradients, biasGradients, {inputDelta}, {layer.Inputs}, {layer.Outputs});");
        }

        writer.Line();
    }

    // ---- Batches: the rows of a slot for samples [first, first + count) sit at capacity × slot + first × size ---------------

    private static void WriteForwardBatch(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        bool transposed = layer.Layout.UsesTransposedWeights;
        string how = transposed ? ", from Wᵀ" : "";
        string formula = layer.Spec.Activation == ActivationKind.Softmax ? $"Z{n} = {(n == 1 ? "X" : $"A{n - 1}")}·W{n} + b{n}" : $"A{n} = {Formula(layer, n == 1 ? "X" : $"A{n - 1}")}";
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n} on samples [first, first + count), outputs [firstOutput, endOutput): {formula}{how}.",
            $"private void {layer.Name("ForwardBatch")}({Workspace} workspace, int first, int count, int firstOutput, int endOutput)");
        using (writer.Block())
        {
            string target = WritesLogitsFirst(layer) ? layer.LogitsOffset : layer.OutputOffset;
            string activation = WritesLogitsFirst(layer) ? ActivationCode.KernelType(ActivationKind.Identity) : ActivationCode.KernelType(layer.Spec.Activation);
            string weights = transposed
                ? $"workspace.Transpose.ReadOnlySlice({layer.Name("TransposeOffset")}, {WeightCount(layer)})"
                : $"{ParametersField}.ReadOnlySlice({layer.Name("WeightsOffset")}, {WeightCount(layer)})";
            if (layer.Layout.KeepsLogits && layer.Spec.Activation != ActivationKind.Softmax)
            {
                writer.Line($"var z = {KernelCall.Rows("ActivationRows", layer.LogitsOffset, layer.Outputs, "first")};");
            }

            KernelCall.Write(
                writer,
                $"{Kernels}.{(transposed ? "ForwardBatchTransposed" : "ForwardBatch")}<{activation}>",
                KernelCall.Rows("ActivationRows", layer.InputOffset, layer.Inputs, "first"),
                weights,
                $"{ParametersField}.ReadOnlySlice({layer.Name("BiasesOffset")}, {layer.Outputs})",
                layer.Layout.KeepsLogits && layer.Spec.Activation != ActivationKind.Softmax ? "z" : KernelCall.Rows("ActivationRows", target, layer.Outputs, "first"),
                $"count, {layer.Inputs}, {layer.Outputs}, firstOutput, endOutput");

            if (layer.Layout.KeepsLogits && layer.Spec.Activation != ActivationKind.Softmax)
            {
                writer.Line($"// a = {ActivationCode.Describe(layer.Spec.Activation, "z")} over these outputs, keeping z for the loss.");
                writer.Line($"{ActivationKernels}.ActivateLogits<{ActivationCode.KernelType(layer.Spec.Activation)}>(");
                writer.Line($"    z, {KernelCall.Rows("ActivationRows", layer.OutputOffset, layer.Outputs, "first")}, count, {layer.Outputs}, firstOutput, endOutput);");
            }
        }

        writer.Line();
    }

    private static void WriteTransposeWeights(IndentedWriter writer, LayerContext layer)
    {
        GeneratedMember.WriteHeader(
            writer,
            $"W{layer.Number}ᵀ [{Dense(layer).Outputs} × {Dense(layer).Inputs}] in workspace scratch for outputs [firstOutput, endOutput): what {layer.Name("ForwardBatch")} reads.",
            $"private void {layer.Name("TransposeWeights")}({Workspace} workspace, int firstOutput, int endOutput) =>");
        writer.Line($"    {Kernels}.Transpose(");
        writer.Line($"        {ParametersField}.ReadOnlySlice({layer.Name("WeightsOffset")}, {WeightCount(layer)}),");
        writer.Line($"        workspace.Transpose.Slice({layer.Name("TransposeOffset")}, {WeightCount(layer)}),");
        writer.Line($"        {layer.Inputs}, {layer.Outputs}, 0, {layer.Inputs}, firstOutput, endOutput);");
        writer.Line();
    }

    private static void WriteWeightGradientsBatch(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        string input = n == 1 ? "X" : $"A{n - 1}";
        GeneratedMember.WriteHeader(
            writer,
            $"Layer {n}'s gradients for outputs [firstOutput, endOutput): db{n} += Σ δ{n}, dW{n} += {input}ᵀ·δ{n} over the batch.",
            $"private void {layer.Name("WeightGradientsBatch")}({Workspace} workspace, int count, int firstOutput, int endOutput)");
        using (writer.Block())
        {
            KernelCall.Write(
                writer,
                $"{Kernels}.WeightGradientsBatch",
                KernelCall.Rows("ActivationRows", layer.InputOffset, layer.Inputs),
                KernelCall.Rows("DeltaRows", layer.DeltaOffset, layer.Outputs),
                $"workspace.Gradients.Slice({layer.Name("WeightsOffset")}, {WeightCount(layer)})",
                $"workspace.Gradients.Slice({layer.Name("BiasesOffset")}, {layer.Outputs})",
                $"count, {layer.Inputs}, {layer.Outputs}, firstOutput, endOutput");
        }

        writer.Line();
    }

    private static void WriteInputDeltaBatch(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        bool transposed = layer.Layout.UsesTransposedWeights;
        GeneratedMember.WriteHeader(
            writer,
            $"dLoss/dA{n - 1} = δ{n}·W{n}ᵀ over the batch, for inputs [firstInput, endInput){(transposed ? ", from Wᵀ" : "")}.",
            $"private void {layer.Name("InputDeltaBatch")}({Workspace} workspace, int count, int firstInput, int endInput)");
        using (writer.Block())
        {
            string weights = $"{ParametersField}.ReadOnlySlice({layer.Name("WeightsOffset")}, {WeightCount(layer)})";
            if (transposed)
            {
                writer.Line($"var transposed = workspace.Transpose.Slice({layer.Name("TransposeOffset")}, {WeightCount(layer)});");
                writer.Line("// Wᵀ for these inputs only: threads that split the pass by inputs each transpose the part they read.");
                writer.Line($"{Kernels}.Transpose(");
                writer.Line($"    {weights},");
                writer.Line($"    transposed, {layer.Inputs}, {layer.Outputs}, firstInput, endInput, 0, {layer.Outputs});");
                weights = "transposed";
            }

            KernelCall.Write(
                writer,
                $"{Kernels}.{(transposed ? "InputDeltaBatchTransposed" : "InputDeltaBatch")}",
                KernelCall.Rows("DeltaRows", layer.DeltaOffset, layer.Outputs),
                weights,
                KernelCall.Rows("DeltaRows", layer.InputDeltaOffset, layer.Inputs),
                $"count, {layer.Inputs}, {layer.Outputs}, firstInput, endInput");
        }

        writer.Line();
    }
}
