using NetGen.Generator.Helpers;

namespace NetGen.Generator.Emitters;

/// <summary>How every layer emitter writes a call into the runtime kernels and the workspace rows it passes them.</summary>
internal static class KernelCall
{
    public const string Workspace = "global::NetGen.BatchWorkspace";

    public const string ActivationKernels = "global::NetGen.Kernels.ActivationKernels";

    /// <summary>
    /// <c>method(</c>, then one line of arguments per entry of <paramref name="argumentLines"/>, indented, each ending in
    /// a comma but the last, which closes the call.
    /// </summary>
    public static void Write(IndentedWriter writer, string method, params string[] argumentLines)
    {
        writer.Line(method + "(");
        using (writer.Indent())
        {
            for (int i = 0; i < argumentLines.Length; i++)
            {
                writer.Line(argumentLines[i] + (i < argumentLines.Length - 1 ? "," : ");"));
            }
        }
    }

    /// <summary>Rows [first, first + count) of an arena's slot: <c>workspace.ActivationRows(slot, rowLength, first, count)</c>.</summary>
    public static string Rows(string arena, string offset, string size, string first = "0") =>
        $"workspace.{arena}({offset}, {size}, {first}, count)";

    /// <summary>
    /// δ = dLoss/dA ⊙ f'(a) in place over outputs [firstOutput, endOutput) of the batch: the layer's
    /// <c>LayerNActivationBackwardBatch</c>, the same for every kind with an activation.
    /// </summary>
    public static void WriteActivationBackwardBatch(IndentedWriter writer, LayerContext layer)
    {
        int n = layer.Number;
        GeneratedMember.WriteHeader(
            writer,
            $"δ{n} = dLoss/dA{n} ⊙ ({ActivationCode.DescribeDerivative(layer.Spec.Activation, $"a{n}")}) in place, for outputs [firstOutput, endOutput).",
            $"private void {layer.Name("ActivationBackwardBatch")}({Workspace} workspace, int count, int firstOutput, int endOutput)");
        using (writer.Block())
        {
            Write(
                writer,
                $"{ActivationKernels}.MultiplyByDerivative<{ActivationCode.KernelType(layer.Spec.Activation)}>",
                Rows("ActivationRows", layer.OutputOffset, layer.Outputs),
                Rows("DeltaRows", layer.DeltaOffset, layer.Outputs),
                $"count, {layer.Outputs}, firstOutput, endOutput");
        }

        writer.Line();
    }

    /// <summary>
    /// The one-sample form of <see cref="WriteActivationBackwardBatch"/>, a statement inside <c>LayerNBackward</c> on its
    /// <paramref name="delta"/> span.
    /// </summary>
    public static void WriteActivationBackward(IndentedWriter writer, LayerContext layer, string delta)
    {
        writer.Line($"{ActivationKernels}.MultiplyByDerivative<{ActivationCode.KernelType(layer.Spec.Activation)}>(");
        writer.Line($"    {GeneratedNames.ActivationsField}.ReadOnlySlice({layer.OutputOffset}, {layer.Outputs}), {delta});");
    }
}
