using System.Collections.Generic;
using System.Text;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.GeneratedNames;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        private const string VectorCount = "global::System.Numerics.Vector<float>.Count";
        private const int MinimumVectorizedOutputs = 8;

        /// <summary>The partial sums a wide unrolled output is split into; "(sum0 + sum1) + (sum2 + sum3)" joins them.</summary>
        private const int UnrolledPartialSums = 4;

        /// <summary>
        /// One sample: up to sixteen vectors of outputs per pass over the inputs, then narrower tiles (those of four
        /// vectors or fewer with a second accumulator chain each). Sixteen accumulators fit the 32 vector registers of
        /// AVX-512 hardware, and with 8-lane vectors a 128-output layer is one pass over its inputs.
        /// </summary>
        private static readonly int[] SingleSampleVectorTiles = { 16, 8, 4, 2, 1 };
        private const string LoadUnsafe = "global::System.Numerics.Vector.LoadUnsafe";
        private const string StoreUnsafe = "global::System.Numerics.Vector.StoreUnsafe";
        private const string GetReference = "global::System.Runtime.InteropServices.MemoryMarshal.GetReference";

        /// <summary>Writes <c>LayerNForward</c>: z = W·x + b, then the activation, for this layer's exact sizes.</summary>
        private static void WriteLayerForward(IndentedWriter writer, NetworkSpec spec, LayerSpec layer)
        {
            int n = layer.Number;
            bool keepsLogits = layer == spec.OutputLayer && spec.LogitsOffset >= 0;
            string input = n == 1 ? "x" : $"a{n - 1}";
            writer.Line($"/// <summary>Layer {n}, Dense {layer.Inputs} → {layer.Outputs}: a{n} = {ActivationCode.Describe(layer.Activation, $"{input}·W{n} + b{n}")}{(keepsLogits ? $", keeping the logits z{n} for the loss" : "")}.</summary>");
            writer.Line(GeneratedCode);
            using (writer.Block($"private void {Layer(n, "Forward")}()"))
            {
                if (layer.Unrolled)
                {
                    WriteUnrolledLayerForward(writer, layer, keepsLogits);
                }
                else
                {
                    WriteForwardSpans(writer, layer, keepsLogits, scale: "", rows: "");
                    writer.Line();
                    writer.Line("// z[o..] = b[o..] + Σₖ x[k]·W[k, o..]: each weight row is a run of outputs, scaled by one input.");
                    BroadcastProduct product = ForwardProduct(spec, layer, keepsLogits, _ => "", "", biasAtStore: false);
                    WriteBroadcastColumns(writer, product, 1, SingleSampleVectorTiles, splitChains: true, wideTilesFirst: false);
                    WriteDeferredActivation(writer, layer, keepsLogits);
                    if (layer.Activation == ActivationKind.Softmax)
                    {
                        writer.Line();
                        WriteSoftmax(writer, layer);
                    }
                }
            }

            writer.Line();
        }

        private static void WriteUnrolledLayerForward(IndentedWriter writer, LayerSpec layer, bool keepsLogits)
        {
            int n = layer.Number;
            writer.Line($"var w = {ParametersField}.ReadOnlySlice({Layer(n, "WeightsOffset")}, {Layer(n, "Inputs")} * {Layer(n, "Outputs")});");
            writer.Line($"var b = {ParametersField}.ReadOnlySlice({Layer(n, "BiasesOffset")}, {Layer(n, "Outputs")});");
            writer.Line($"var x = {ActivationsField}.ReadOnlySlice({LayerInputOffset(layer)}, {Layer(n, "Inputs")});");
            writer.Line($"var a = {ActivationsField}.Slice({Layer(n, "OutputOffset")}, {Layer(n, "Outputs")});");
            if (keepsLogits)
            {
                writer.Line($"var z = {ActivationsField}.Slice({LogitsOffset}, {Layer(n, "Outputs")});");
            }

            writer.Line();
            bool applyLater = VectorizedActivation(layer) is not null;
            WriteUnrolledForward(writer, layer, keepsLogits, applyLater);
            if (layer.Activation == ActivationKind.Softmax)
            {
                writer.Line();
                WriteSoftmax(writer, layer);
            }
            else if (applyLater)
            {
                WriteDeferredActivation(writer, layer, keepsLogits);
            }
        }

        /// <summary>
        /// Each output as b + Σ w·x written out. From <see cref="UnrolledPartialSums"/> × 2 inputs on, the sum is split into
        /// that many partial sums over every fourth input, so that four additions are in flight instead of one chain as
        /// long as the layer is wide: a one-output layer of 32 inputs was 32 dependent additions.
        /// </summary>
        private static void WriteUnrolledForward(IndentedWriter writer, LayerSpec layer, bool keepsLogits, bool applyLater)
        {
            bool split = layer.Inputs >= 2 * UnrolledPartialSums;
            if (split)
            {
                writer.Line($"// {UnrolledPartialSums} partial sums per output, over every {UnrolledPartialSums}th input: {UnrolledPartialSums} additions in flight, not one chain of {layer.Inputs}.");
            }

            for (int o = 0; o < layer.Outputs; o++)
            {
                if (!split)
                {
                    WriteActivationStore(writer, layer, keepsLogits, applyLater, $"[{o}]", $"b[{o}]{UnrolledTerms(layer, o, 0, 1)}");
                    continue;
                }

                using (writer.Block())
                {
                    for (int c = 0; c < UnrolledPartialSums; c++)
                    {
                        string terms = UnrolledTerms(layer, o, c, UnrolledPartialSums);
                        writer.Line($"float sum{c} = {(c == 0 ? $"b[{o}]{terms}" : terms.Substring(" + ".Length))};");
                    }

                    WriteActivationStore(writer, layer, keepsLogits, applyLater, $"[{o}]", "(sum0 + sum1) + (sum2 + sum3)");
                }
            }
        }

        /// <summary>" + w[..] * x[i]" for inputs i = first, first + step, … of output o.</summary>
        private static string UnrolledTerms(LayerSpec layer, int o, int first, int step)
        {
            var terms = new StringBuilder();
            for (int i = first; i < layer.Inputs; i += step)
            {
                terms.Append($" + w[{i * layer.Outputs + o}] * x[{i}]");
            }

            return terms.ToString();
        }

        /// <summary>
        /// Stores output element <paramref name="index"/> from its weighted sum. Softmax stores the logit only; when the
        /// activation is applied to the whole layer afterwards (<paramref name="applyLater"/>), z is stored as is.
        /// </summary>
        private static void WriteActivationStore(IndentedWriter writer, LayerSpec layer, bool keepsLogits, bool applyLater, string index, string sum)
        {
            if (layer.Activation == ActivationKind.Softmax || (keepsLogits && applyLater))
            {
                writer.Line($"z{index} = {sum};");
            }
            else if (keepsLogits)
            {
                writer.Line($"z{index} = {sum};");
                writer.Line($"a{index} = {ActivationCode.Apply(layer.Activation, "z" + index)};");
            }
            else
            {
                writer.Line($"a{index} = {(applyLater ? sum : ActivationCode.Apply(layer.Activation, sum))};");
            }
        }

        private static void WriteSoftmax(IndentedWriter writer, LayerSpec layer) =>
            writer.Line($"{SampleSoftmax}(z, a);");

        /// <summary>Writes the softmax of one sample's logits, shared by the single-sample and batched passes.</summary>
        private static void WriteSampleSoftmax(IndentedWriter writer)
        {
            writer.Line("/// <summary>a = softmax(z), shifted by the largest logit so that exp cannot overflow.</summary>");
            writer.Line(GeneratedCode);
            using (writer.Block($"private static void {SampleSoftmax}({ReadOnlySpan} z, {Span} a)"))
            {
                WriteLargestLogit(writer, "z.Length");
                writer.Line("float total = 0f;");
                using (writer.Block("for (int j = 0; j < z.Length; j++)"))
                {
                    writer.Line("a[j] = global::System.MathF.Exp(z[j] - max);");
                    writer.Line("total += a[j];");
                }

                writer.Line();
                writer.Line("float scale = 1f / total;");
                using (writer.Block("for (int j = 0; j < a.Length; j++)"))
                {
                    writer.Line("a[j] *= scale;");
                }
            }

            writer.Line();
        }

        /// <summary>
        /// Writes <c>LayerNBackward</c>: given δ = dLoss/dz of this layer, adds dW += δ·xᵀ and db += δ, and for every
        /// layer but the first, writes the previous layer's δ = (Wᵀ·δ) ⊙ f'(its z).
        /// </summary>
        private static void WriteLayerBackward(IndentedWriter writer, NetworkSpec spec, LayerSpec layer)
        {
            int n = layer.Number;
            LayerSpec? previous = n > 1 ? spec.Layers[n - 2] : null;
            string input = previous is null ? "x" : $"a{n - 1}";
            string propagate = previous is null
                ? ""
                : $"; then δ{n - 1} = (W{n}·δ{n}) ⊙ f'(z{n - 1}) with f' = {ActivationCode.DescribeDerivative(previous.Activation, $"a{n - 1}")}";
            writer.Line($"/// <summary>Layer {n} backward: dW{n} += {input}·δ{n}ᵀ and db{n} += δ{n}{propagate}.</summary>");
            writer.Line(GeneratedCode);
            using (writer.Block($"private void {Layer(n, "Backward")}()"))
            {
                if (previous is not null)
                {
                    writer.Line($"var w = {ParametersField}.ReadOnlySlice({Layer(n, "WeightsOffset")}, {Layer(n, "Inputs")} * {Layer(n, "Outputs")});");
                }

                writer.Line($"var weightGradients = {GradientsField}.Slice({Layer(n, "WeightsOffset")}, {Layer(n, "Inputs")} * {Layer(n, "Outputs")});");
                writer.Line($"var biasGradients = {GradientsField}.Slice({Layer(n, "BiasesOffset")}, {Layer(n, "Outputs")});");
                writer.Line($"var x = {ActivationsField}.ReadOnlySlice({LayerInputOffset(layer)}, {Layer(n, "Inputs")});");
                writer.Line($"var delta = {DeltasField}.ReadOnlySlice({Layer(n, "DeltaOffset")}, {Layer(n, "Outputs")});");
                if (previous is not null)
                {
                    writer.Line($"var inputDelta = {DeltasField}.Slice({Layer(previous.Number, "DeltaOffset")}, {Layer(n, "Inputs")});");
                }

                writer.Line();
                if (layer.Unrolled)
                {
                    WriteUnrolledBackward(writer, layer, previous);
                }
                else
                {
                    WriteVectorBackward(writer, layer, previous, spec.UseFusedMultiplyAdd);
                }
            }

            writer.Line();
        }

        private static void WriteUnrolledBackward(IndentedWriter writer, LayerSpec layer, LayerSpec? previous)
        {
            for (int o = 0; o < layer.Outputs; o++)
            {
                writer.Line($"biasGradients[{o}] += delta[{o}];");
                for (int i = 0; i < layer.Inputs; i++)
                {
                    writer.Line($"weightGradients[{i * layer.Outputs + o}] += delta[{o}] * x[{i}];");
                }
            }

            if (previous is null)
            {
                return;
            }

            writer.Line();
            for (int i = 0; i < layer.Inputs; i++)
            {
                var terms = new List<string>();
                for (int o = 0; o < layer.Outputs; o++)
                {
                    terms.Add($"w[{i * layer.Outputs + o}] * delta[{o}]");
                }

                string gradient = terms.Count == 1 ? terms[0] : "(" + string.Join(" + ", terms) + ")";
                writer.Line($"inputDelta[{i}] = {ActivationCode.TimesDerivative(previous.Activation, gradient, $"x[{i}]")};");
            }
        }

        /// <summary>
        /// One pass over the weight rows: row i of dW gains x[i]·δ, and the same row of W dotted with δ gives the
        /// previous layer's δ[i].
        /// </summary>
        private static void WriteVectorBackward(IndentedWriter writer, LayerSpec layer, LayerSpec? previous, bool useFma)
        {
            int n = layer.Number;
            string inputs = Layer(n, "Inputs"), outputs = Layer(n, "Outputs");
            using (writer.Block($"for (int o = 0; o < {outputs}; o++)"))
            {
                writer.Line("biasGradients[o] += delta[o];");
            }

            writer.Line();
            if (previous is not null)
            {
                writer.Line($"ref float wStart = ref {GetReference}(w);");
            }

            writer.Line($"ref float gradientStart = ref {GetReference}(weightGradients);");
            writer.Line($"ref float deltaStart = ref {GetReference}(delta);");
            using (writer.Block($"for (int i = 0; i < {inputs}; i++)"))
            {
                writer.Line("var xi = new global::System.Numerics.Vector<float>(x[i]);");
                writer.Line($"int row = i * {outputs};");
                if (previous is not null)
                {
                    writer.Line("var back = global::System.Numerics.Vector<float>.Zero;");
                }

                writer.Line("int o = 0;");
                using (writer.Block($"for (; o <= {outputs} - {VectorCount}; o += {VectorCount})"))
                {
                    writer.Line($"var d = {LoadUnsafe}(ref deltaStart, (nuint)o);");
                    writer.Line($"var gradient = {LoadUnsafe}(ref gradientStart, (nuint)(row + o));");
                    writer.Line(TileVector.Portable.MultiplyAdd(useFma, "gradient", "xi", "d"));
                    writer.Line($"{StoreUnsafe}(gradient, ref gradientStart, (nuint)(row + o));");
                    if (previous is not null)
                    {
                        writer.Line(TileVector.Portable.MultiplyAdd(useFma, "back", $"{LoadUnsafe}(ref wStart, (nuint)(row + o))", "d"));
                    }
                }

                writer.Line();
                if (previous is not null)
                {
                    writer.Line("float total = global::System.Numerics.Vector.Sum(back);");
                }

                using (writer.Block($"for (; o < {outputs}; o++)"))
                {
                    writer.Line("weightGradients[row + o] += x[i] * delta[o];");
                    if (previous is not null)
                    {
                        writer.Line("total += w[row + o] * delta[o];");
                    }
                }

                if (previous is not null)
                {
                    writer.Line();
                    string through = previous.Activation == ActivationKind.Identity
                        ? ""
                        : $" // through layer {previous.Number}'s {previous.Activation}: f' = {ActivationCode.DescribeDerivative(previous.Activation, $"a{previous.Number}")}";
                    writer.Line($"inputDelta[i] = {ActivationCode.TimesDerivative(previous.Activation, "total", "x[i]")};{through}");
                }
            }
        }

        /// <summary>Writes <c>float max = max_j z[j];</c>, the shift that keeps e^(z − max) ≤ 1.</summary>
        private static void WriteLargestLogit(IndentedWriter writer, string count)
        {
            writer.Line("float max = z[0];");
            using (writer.Block($"for (int j = 1; j < {count}; j++)"))
            {
                writer.Line("max = global::System.MathF.Max(max, z[j]);");
            }

            writer.Line();
        }

        /// <summary>
        /// The whole-layer call for Sigmoid and Tanh once the layer fills a vector; below that, scalar calls are cheaper
        /// than gathering a partial vector.
        /// </summary>
        private static string? VectorizedActivation(LayerSpec layer) =>
            layer.Outputs >= MinimumVectorizedOutputs ? ActivationCode.VectorizedCall(layer.Activation) : null;

        private static string LayerInputOffset(LayerSpec layer) =>
            layer.Number == 1 ? InputOffset : Layer(layer.Number - 1, "OutputOffset");
    }
}
