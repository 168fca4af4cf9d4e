using System.Text;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// The layout step: from valid layers to a <see cref="NetworkSpec"/> whose <see cref="NetworkLayout"/> holds every
    /// offset, buffer size and code-shape decision, so that the emitters only read them.
    /// </summary>
    internal static class Layout
    {
        /// <summary>
        /// The samples batched Forward takes through every layer before starting the next ones: a block's inputs and a
        /// layer's weights sit in L2 together, where one pass over a 256-sample batch evicted the weights.
        /// </summary>
        public const int ForwardSampleBlock = 64;

        /// <summary>
        /// Dense layers narrower than this many outputs work from Wᵀ in their batched passes: a broadcast forward tile
        /// would be a single vector wide, and a δ of dot products along rows of a few weights would end every sum in a
        /// horizontal add and mostly scalar tails (docs/design.md, "Batched passes").
        /// </summary>
        public const int TransposedBelowOutputs = 32;

        /// <summary>
        /// The fewest inputs for which the transposed passes are worth their copy of Wᵀ: a dot product along fewer inputs
        /// runs mostly in its scalar tail at every vector width, no faster than the broadcast path.
        /// </summary>
        public const int TransposedFromInputs = 8;

        public static NetworkSpec Build(TypeIdentity type, LossKind loss, ElementType element, TensorShape input, LayerSpec[] layers, int unrollThreshold)
        {
            // Every loss hands the output layer dLoss/dz, fusing the output activation's derivative (exactly so for Softmax
            // with CrossEntropy and Sigmoid with BinaryCrossEntropy); the losses other than MSE read the output logits.
            bool keepsLogits = loss != LossKind.MeanSquaredError;
            var layouts = new LayerLayout[layers.Length];
            int parameterOffset = 0, outputOffset = input.Length, deltaOffset = 0, transposeOffset = 0;
            for (int i = 0; i < layers.Length; i++)
            {
                LayerSpec layer = layers[i];
                bool isOutput = i == layers.Length - 1;
                var dense = layer as DenseLayerSpec;
                bool transposed = dense is not null && dense.Outputs < TransposedBelowOutputs && dense.Inputs >= TransposedFromInputs;
                layouts[i] = new LayerLayout(
                    ParameterOffset: parameterOffset,
                    OutputOffset: outputOffset,
                    LogitsOffset: -1,
                    DeltaOffset: deltaOffset,
                    InputDeltaOffset: i == 0 ? -1 : layouts[i - 1].DeltaOffset,
                    AppliesOwnDerivative: !isOutput,
                    Unrolled: dense is not null && (long)dense.WeightCount <= unrollThreshold,
                    MaskOffset: layer is DropoutLayerSpec ? outputOffset + layer.Output.Length : -1,
                    TransposeOffset: transposed ? transposeOffset : -1);
                parameterOffset += layer.ParameterCount;
                outputOffset += layer.Output.Length * (layer is DropoutLayerSpec ? 2 : 1);
                deltaOffset += layer.Output.Length;
                transposeOffset += transposed ? dense!.WeightCount : 0;
            }

            int activationCount = outputOffset;
            if (keepsLogits)
            {
                LayerLayout output = layouts[layouts.Length - 1];
                layouts[layouts.Length - 1] = output with { LogitsOffset = activationCount };
                activationCount += layers[layers.Length - 1].Output.Length;
            }

            var architecture = new StringBuilder("Input(").Append(input).Append(')');
            foreach (LayerSpec layer in layers)
            {
                architecture.Append(' ').Append(layer.Describe());
            }

            string text = architecture.Append(" Loss=").Append(loss).ToString();
            var layout = new NetworkLayout(
                new EquatableArray<LayerLayout>(layouts), parameterOffset, activationCount, deltaOffset, transposeOffset, ForwardSampleBlock);
            return new NetworkSpec(type, loss, element, input, new EquatableArray<LayerSpec>(layers), layout, text, Fnv1a.Hash64(text));
        }
    }
}
