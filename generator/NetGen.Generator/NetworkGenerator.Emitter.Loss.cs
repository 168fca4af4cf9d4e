using NetGen.Generator.Emitters;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.GeneratedNames;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>
        /// Writes <c>ComputeLossAndOutputDelta</c>: the loss of the last output against the target and the output
        /// layer's δ = dLoss/dz, which starts the backward pass.
        /// </summary>
        private static void WriteLoss(IndentedWriter writer, NetworkSpec spec)
        {
            LayerSpec output = spec.OutputLayer;
            LayerLayout outputLayout = spec.LayoutOf(output);
            string element = spec.Element.Keyword;
            GeneratedMember.WriteHeader(
                writer,
                "The loss of the last Forward against the target; writes the output δ = dLoss/dz that starts Backward.",
                $"private {element} {ComputeLossAndOutputDelta}({spec.Element.ReadOnlySpan} target) => {SampleLoss}(");
            writer.Line($"    {ActivationsField}.ReadOnlySlice({Layer(output.Number, "OutputOffset")}, {OutputSize}),");
            if (outputLayout.KeepsLogits)
            {
                writer.Line($"    {ActivationsField}.ReadOnlySlice({Layer(output.Number, "LogitsOffset")}, {OutputSize}),");
            }

            writer.Line($"    {DeltasField}.Slice({Layer(output.Number, "DeltaOffset")}, {OutputSize}),");
            writer.Line("    target);");
            writer.Line();
            switch (spec.Loss)
            {
                case LossKind.MeanSquaredError:
                    writer.Line("/// <summary>");
                    writer.Line("/// Mean squared error ℓ = (1/n)·Σⱼ (yⱼ − tⱼ)². Fused with the output activation, as every loss here is:");
                    writer.Line($"/// δⱼ = dℓ/dzⱼ = (2/n)·(yⱼ − tⱼ)·f'(zⱼ) with f' = {ActivationCode.DescribeDerivative(output.Activation, "y")}.");
                    writer.Line("/// </summary>");
                    break;
                case LossKind.BinaryCrossEntropy:
                    writer.Line("/// <summary>");
                    writer.Line("/// Binary cross-entropy ℓ = (1/n)·Σⱼ −(tⱼ·log yⱼ + (1 − tⱼ)·log(1 − yⱼ)) with y = sigmoid(z), evaluated from the");
                    writer.Line("/// logits as max(z, 0) − z·t + log(1 + e^−|z|): the same value, but finite when y saturates to 0 or 1.");
                    writer.Line("/// The Sigmoid's derivative cancels the loss's denominator, leaving δⱼ = (yⱼ − tⱼ)/n.");
                    writer.Line("/// </summary>");
                    break;
                default:
                    writer.Line("/// <summary>");
                    writer.Line("/// Cross-entropy ℓ = −Σⱼ tⱼ·log softmax(z)ⱼ, with log softmax(z)ⱼ = zⱼ − (m + log Σₖ e^(zₖ − m)) and m = maxₖ zₖ");
                    writer.Line("/// so that no exponential overflows. Fused with the Softmax: δⱼ = yⱼ·Σₖ tₖ − tⱼ, i.e. yⱼ − tⱼ for targets summing to 1.");
                    writer.Line("/// </summary>");
                    break;
            }

            string readOnly = spec.Element.ReadOnlySpan;
            string logitsParameter = outputLayout.KeepsLogits ? $" {readOnly} z," : "";
            writer.Line($"private static {element} {SampleLoss}(");
            writer.Line($"    {readOnly} y,{logitsParameter}");
            writer.Line($"    {spec.Element.Span} delta, {readOnly} target)");
            using (writer.Block())
            {
                switch (spec.Loss)
                {
                    case LossKind.MeanSquaredError:
                        WriteMeanSquaredError(writer, spec.Element, output);
                        break;
                    case LossKind.BinaryCrossEntropy:
                        WriteBinaryCrossEntropy(writer, spec.Element);
                        break;
                    default:
                        WriteCrossEntropy(writer, spec.Element);
                        break;
                }
            }

            writer.Line();
            if (output.Activation == ActivationKind.Softmax)
            {
                WriteSampleSoftmax(writer, spec.Element);
            }
        }

        private static void WriteMeanSquaredError(IndentedWriter writer, ElementType element, LayerSpec output)
        {
            writer.Line($"{element.Keyword} sum = {element.Literal("0")};");
            using (writer.Block($"for (int j = 0; j < {OutputSize}; j++)"))
            {
                writer.Line($"{element.Keyword} error = y[j] - target[j];");
                writer.Line("sum += error * error;");
                writer.Line($"delta[j] = {ActivationCode.TimesDerivative(output.Activation, $"({element.Literal("2")} / {OutputSize} * error)", "y[j]", element)};");
            }

            writer.Line();
            writer.Line($"return sum / {OutputSize};");
        }

        private static void WriteBinaryCrossEntropy(IndentedWriter writer, ElementType element)
        {
            string math = element.Math, zero = element.Literal("0");
            writer.Line($"{element.Keyword} sum = {zero};");
            using (writer.Block($"for (int j = 0; j < {OutputSize}; j++)"))
            {
                writer.Line($"{element.Keyword} softplus = {math}.Log({element.Literal("1")} + {math}.Exp(-{math}.Abs(z[j])));");
                writer.Line($"sum += {math}.Max(z[j], {zero}) - z[j] * target[j] + softplus;");
                writer.Line($"delta[j] = (y[j] - target[j]) / {OutputSize};");
            }

            writer.Line();
            writer.Line($"return sum / {OutputSize};");
        }

        private static void WriteCrossEntropy(IndentedWriter writer, ElementType element)
        {
            string scalar = element.Keyword, zero = element.Literal("0");
            WriteLargestLogit(writer, element, OutputSize);
            writer.Line($"{scalar} total = {zero};");
            using (writer.Block($"for (int j = 0; j < {OutputSize}; j++)"))
            {
                writer.Line($"total += {element.Math}.Exp(z[j] - max);");
            }

            writer.Line();
            writer.Line($"{scalar} logSumExp = max + {element.Math}.Log(total);");
            writer.Line($"{scalar} loss = {zero};");
            writer.Line($"{scalar} targetSum = {zero};");
            using (writer.Block($"for (int j = 0; j < {OutputSize}; j++)"))
            {
                writer.Line("loss -= target[j] * (z[j] - logSumExp);");
                writer.Line("targetSum += target[j];");
            }

            writer.Line();
            using (writer.Block($"for (int j = 0; j < {OutputSize}; j++)"))
            {
                writer.Line("delta[j] = y[j] * targetSum - target[j];");
            }

            writer.Line();
            writer.Line("return loss;");
        }

        /// <summary>Writes the softmax of one sample's logits.</summary>
        private static void WriteSampleSoftmax(IndentedWriter writer, ElementType element)
        {
            GeneratedMember.WriteHeader(
                writer,
                "a = softmax(z), shifted by the largest logit so that exp cannot overflow.",
                $"private static void {SampleSoftmax}({element.ReadOnlySpan} z, {element.Span} a)");
            using (writer.Block())
            {
                WriteLargestLogit(writer, element, "z.Length");
                writer.Line($"{element.Keyword} total = {element.Literal("0")};");
                using (writer.Block("for (int j = 0; j < z.Length; j++)"))
                {
                    writer.Line($"a[j] = {element.Math}.Exp(z[j] - max);");
                    writer.Line("total += a[j];");
                }

                writer.Line();
                writer.Line($"{element.Keyword} scale = {element.Literal("1")} / total;");
                using (writer.Block("for (int j = 0; j < a.Length; j++)"))
                {
                    writer.Line("a[j] *= scale;");
                }
            }

            writer.Line();
        }

        /// <summary>Writes <c>max = max_j z[j];</c>, the shift that keeps e^(z − max) ≤ 1.</summary>
        private static void WriteLargestLogit(IndentedWriter writer, ElementType element, string count)
        {
            writer.Line($"{element.Keyword} max = z[0];");
            using (writer.Block($"for (int j = 1; j < {count}; j++)"))
            {
                writer.Line($"max = {element.Math}.Max(max, z[j]);");
            }

            writer.Line();
        }
    }
}
