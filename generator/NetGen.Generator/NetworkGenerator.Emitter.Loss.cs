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
            string logits = spec.LogitsOffset >= 0 ? $"{ActivationsField}.ReadOnlySlice({LogitsOffset}, {OutputSize}), " : "";
            writer.Line(GeneratedCode);
            writer.Line($"private float {ComputeLossAndOutputDelta}({ReadOnlySpan} target) => {SampleLoss}(");
            writer.Line($"    {ActivationsField}.ReadOnlySlice({Layer(output.Number, "OutputOffset")}, {OutputSize}),");
            writer.Line($"    {logits}{DeltasField}.Slice({Layer(output.Number, "DeltaOffset")}, {OutputSize}),");
            writer.Line("    target);");
            writer.Line();
            switch (spec.Loss)
            {
                case LossKind.MeanSquaredError:
                    writer.Line($"/// <summary>Mean squared error ℓ = (1/n)·Σⱼ (yⱼ − tⱼ)²; δⱼ = (2/n)·(yⱼ − tⱼ)·f'(zⱼ) with f' = {ActivationCode.DescribeDerivative(output.Activation, "y")}.</summary>");
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

            writer.Line(GeneratedCode);
            string logitsParameter = spec.LogitsOffset >= 0 ? $"{ReadOnlySpan} z, " : "";
            using (writer.Block($"private static float {SampleLoss}({ReadOnlySpan} y, {logitsParameter}{Span} delta, {ReadOnlySpan} target)"))
            {
                switch (spec.Loss)
                {
                    case LossKind.MeanSquaredError:
                        WriteMeanSquaredError(writer, output);
                        break;
                    case LossKind.BinaryCrossEntropy:
                        WriteBinaryCrossEntropy(writer);
                        break;
                    default:
                        WriteCrossEntropy(writer);
                        break;
                }
            }
        }

        private static void WriteMeanSquaredError(IndentedWriter writer, LayerSpec output)
        {
            writer.Line("float sum = 0f;");
            using (writer.Block($"for (int j = 0; j < {OutputSize}; j++)"))
            {
                writer.Line("float error = y[j] - target[j];");
                writer.Line("sum += error * error;");
                writer.Line($"delta[j] = {ActivationCode.TimesDerivative(output.Activation, $"(2f / {OutputSize} * error)", "y[j]")};");
            }

            writer.Line();
            writer.Line($"return sum / {OutputSize};");
        }

        private static void WriteBinaryCrossEntropy(IndentedWriter writer)
        {
            writer.Line("float sum = 0f;");
            using (writer.Block($"for (int j = 0; j < {OutputSize}; j++)"))
            {
                writer.Line("sum += global::System.MathF.Max(z[j], 0f) - z[j] * target[j] + global::System.MathF.Log(1f + global::System.MathF.Exp(-global::System.MathF.Abs(z[j])));");
                writer.Line($"delta[j] = (y[j] - target[j]) / {OutputSize};");
            }

            writer.Line();
            writer.Line($"return sum / {OutputSize};");
        }

        private static void WriteCrossEntropy(IndentedWriter writer)
        {
            WriteLargestLogit(writer, OutputSize);
            writer.Line("float total = 0f;");
            using (writer.Block($"for (int j = 0; j < {OutputSize}; j++)"))
            {
                writer.Line("total += global::System.MathF.Exp(z[j] - max);");
            }

            writer.Line();
            writer.Line("float logSumExp = max + global::System.MathF.Log(total);");
            writer.Line("float loss = 0f;");
            writer.Line("float targetSum = 0f;");
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
    }
}
