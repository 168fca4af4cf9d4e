using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.GeneratedNames;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// Writes the batched passes. Every product is a register tile: a few samples by a few outputs (forward), a few
    /// outputs by a few vectors of inputs (weight gradients), a few samples by a few vectors (deltas), so that each load
    /// feeds several multiply-adds and the accumulators stay in registers. Tails over the layer sizes are decided here,
    /// at generation time; only the sample count is known at run time.
    /// </summary>
    internal static partial class Emitter
    {
        private const string UnsafeAdd = "global::System.Runtime.CompilerServices.Unsafe.Add";
        private const int SampleTile = 4;
        private const int OutputTile = 4;
        private const int SingleSampleOutputTile = 8;
        private const int VectorTile = 2;

        private static void WriteBatchApi(IndentedWriter writer, NetworkSpec spec)
        {
            LayerSpec output = spec.OutputLayer;
            writer.Line("/// <inheritdoc/>");
            writer.Line(GeneratedCode);
            writer.Line($"public global::NetGen.BatchWorkspace {CreateWorkspace}(int capacity) =>");
            writer.Line($"    new global::NetGen.BatchWorkspace(capacity, {ActivationCount}, {DeltaCount}, {ParameterCount}, {ArchitectureFingerprint});");
            writer.Line();

            writer.Line("/// <inheritdoc/>");
            writer.Line(GeneratedCode);
            using (writer.Block($"public void {ForwardBatch}(global::NetGen.BatchWorkspace workspace, {ReadOnlySpan} inputs, {Span} outputs)"))
            {
                writer.Line($"int count = global::NetGen.NetworkErrors.BatchCount(workspace, {ArchitectureFingerprint}, nameof(inputs), inputs.Length, {InputSize});");
                using (writer.Block($"if (outputs.Length != count * {OutputSize})"))
                {
                    writer.Line($"global::NetGen.NetworkErrors.ThrowLengthMismatch(nameof(outputs), count * {OutputSize}, outputs.Length);");
                }

                writer.Line();
                writer.Line("int capacity = workspace.Capacity;");
                writer.Line($"inputs.CopyTo(new {Span}(workspace.Activations, capacity * {InputOffset}, count * {InputSize}));");
                foreach (LayerSpec layer in spec.Layers)
                {
                    writer.Line($"{Layer(layer.Number, "ForwardBatch")}(workspace, count);");
                }

                writer.Line($"new {ReadOnlySpan}(workspace.Activations, capacity * {Layer(output.Number, "OutputOffset")}, count * {OutputSize}).CopyTo(outputs);");
                writer.Line("workspace.Count = count;");
            }

            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line(GeneratedCode);
            using (writer.Block($"public float {BackwardBatch}(global::NetGen.BatchWorkspace workspace, {ReadOnlySpan} targets)"))
            {
                writer.Line($"float loss = {EvaluateLossBatch}(workspace, targets);");
                writer.Line("int count = workspace.Count;");
                for (int i = spec.Layers.Length - 1; i >= 0; i--)
                {
                    writer.Line($"{Layer(spec.Layers[i].Number, "BackwardBatch")}(workspace, count);");
                }

                writer.Line("return loss;");
            }

            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line(GeneratedCode);
            using (writer.Block($"public float {EvaluateLossBatch}(global::NetGen.BatchWorkspace workspace, {ReadOnlySpan} targets)"))
            {
                writer.Line($"global::NetGen.NetworkErrors.BatchCount(workspace, {ArchitectureFingerprint}, nameof(targets), targets.Length, {OutputSize});");
                writer.Line($"global::NetGen.NetworkErrors.CheckBatchTargets(workspace, targets.Length, {OutputSize});");
                writer.Line("int count = workspace.Count;");
                writer.Line("int capacity = workspace.Capacity;");
                writer.Line("float loss = 0f;");
                using (writer.Block("for (int s = 0; s < count; s++)"))
                {
                    string z = spec.LogitsOffset >= 0 ? $"new {ReadOnlySpan}(workspace.Activations, capacity * {LogitsOffset} + s * {OutputSize}, {OutputSize}), " : "";
                    writer.Line($"loss += {SampleLoss}(");
                    writer.Line($"    new {ReadOnlySpan}(workspace.Activations, capacity * {Layer(output.Number, "OutputOffset")} + s * {OutputSize}, {OutputSize}),");
                    writer.Line($"    {z}new {Span}(workspace.Deltas, capacity * {Layer(output.Number, "DeltaOffset")} + s * {OutputSize}, {OutputSize}),");
                    writer.Line($"    targets.Slice(s * {OutputSize}, {OutputSize}));");
                }

                writer.Line();
                writer.Line("return loss;");
            }

            writer.Line();
        }

        /// <summary>Writes <c>LayerNForwardBatch</c>: Z = X·Wᵀ + b in sample × output register tiles, then the activation.</summary>
        private static void WriteLayerForwardBatch(IndentedWriter writer, NetworkSpec spec, LayerSpec layer)
        {
            int n = layer.Number;
            bool keepsLogits = layer == spec.OutputLayer && spec.LogitsOffset >= 0;
            string outputs = Layer(n, "Outputs");
            writer.Line($"/// <summary>Layer {n} over a batch: Z = X·W{n}ᵀ + b{n} in {OutputTile}-output × {SampleTile}-sample register tiles, then {ActivationCode.Describe(layer.Activation, "Z")}.</summary>");
            writer.Line(GeneratedCode);
            using (writer.Block($"private void {Layer(n, "ForwardBatch")}(global::NetGen.BatchWorkspace workspace, int count)"))
            {
                writer.Line("int capacity = workspace.Capacity;");
                writer.Line($"var w = new {ReadOnlySpan}({ParametersField}, {Layer(n, "WeightsOffset")}, {outputs} * {Layer(n, "Inputs")});");
                writer.Line($"var b = new {ReadOnlySpan}({ParametersField}, {Layer(n, "BiasesOffset")}, {outputs});");
                writer.Line($"var x = new {ReadOnlySpan}(workspace.Activations, capacity * {LayerInputOffset(layer)}, count * {Layer(n, "Inputs")});");
                writer.Line($"var a = new {Span}(workspace.Activations, capacity * {Layer(n, "OutputOffset")}, count * {outputs});");
                if (keepsLogits)
                {
                    writer.Line($"var z = new {Span}(workspace.Activations, capacity * {LogitsOffset}, count * {outputs});");
                }

                writer.Line($"ref float xStart = ref {GetReference}(x);");
                writer.Line($"ref float wStart = ref {GetReference}(w);");
                writer.Line();
                // Rows of W outside, samples inside: a block of rows stays in L1 while every sample passes over it,
                // so W streams from memory once per batch instead of once per block of samples.
                bool applyLater = ActivationCode.VectorizedCall(layer.Activation) is not null;
                writer.Line("int o = 0;");
                if (layer.Outputs >= OutputTile)
                {
                    using (writer.Block($"for (; o + {OutputTile} <= {outputs}; o += {OutputTile})"))
                    {
                        WriteSampleTiles(writer, layer, OutputTile, keepsLogits, applyLater, spec.UseFusedMultiplyAdd);
                    }
                }

                if (layer.Outputs % OutputTile != 0)
                {
                    using (writer.Block($"for (; o < {outputs}; o++)"))
                    {
                        WriteSampleTiles(writer, layer, 1, keepsLogits, applyLater, spec.UseFusedMultiplyAdd);
                    }
                }

                WriteBatchActivation(writer, layer, keepsLogits);
            }

            writer.Line();
        }

        private static void WriteSampleTiles(IndentedWriter writer, LayerSpec layer, int outputs, bool keepsLogits, bool applyLater, bool useFma)
        {
            writer.Line("int s = 0;");
            using (writer.Block($"for (; s + {SampleTile} <= count; s += {SampleTile})"))
            {
                WriteDotTile(writer, layer, SampleTile, outputs, keepsLogits, applyLater, useFma);
            }

            using (writer.Block("for (; s < count; s++)"))
            {
                WriteDotTile(writer, layer, 1, outputs, keepsLogits, applyLater, useFma);
            }
        }

        /// <summary>
        /// One sample against <see cref="SingleSampleOutputTile"/> rows of W at a time: that many independent accumulators
        /// hide the multiply-add latency, and each load of x feeds them all.
        /// </summary>
        private static void WriteSingleSampleTiles(IndentedWriter writer, LayerSpec layer, bool keepsLogits, bool applyLater, bool useFma)
        {
            writer.Line("int o = 0;");
            if (layer.Outputs >= SingleSampleOutputTile)
            {
                using (writer.Block($"for (; o + {SingleSampleOutputTile} <= {Layer(layer.Number, "Outputs")}; o += {SingleSampleOutputTile})"))
                {
                    WriteDotTile(writer, layer, 1, SingleSampleOutputTile, keepsLogits, applyLater, useFma);
                }
            }

            // The remainder is known here: at most one block of four rows, then single rows.
            int remainder = layer.Outputs % SingleSampleOutputTile;
            if (remainder >= OutputTile)
            {
                using (writer.Block())
                {
                    WriteDotTile(writer, layer, 1, OutputTile, keepsLogits, applyLater, useFma);
                    writer.Line($"o += {OutputTile};");
                }
            }

            if (remainder % OutputTile != 0)
            {
                using (writer.Block($"for (; o < {Layer(layer.Number, "Outputs")}; o++)"))
                {
                    WriteDotTile(writer, layer, 1, 1, keepsLogits, applyLater, useFma);
                }
            }
        }

        /// <summary>samples × outputs dot products of length Inputs, one Vector accumulator each, then the scalar tail.</summary>
        private static void WriteDotTile(IndentedWriter writer, LayerSpec layer, int samples, int outputs, bool keepsLogits, bool applyLater, bool useFma)
        {
            string inputs = Layer(layer.Number, "Inputs");
            // A reference per row, so that every load in the loop is one base register plus the shared index.
            for (int r = 0; r < samples; r++)
            {
                writer.Line($"ref float xRow{r} = ref {UnsafeAdd}(ref xStart, (s + {r}) * {inputs});");
            }

            for (int c = 0; c < outputs; c++)
            {
                writer.Line($"ref float wRow{c} = ref {UnsafeAdd}(ref wStart, (o + {c}) * {inputs});");
            }

            for (int r = 0; r < samples; r++)
            {
                for (int c = 0; c < outputs; c++)
                {
                    writer.Line($"var sum{r}{c} = global::System.Numerics.Vector<float>.Zero;");
                }
            }

            writer.Line("int i = 0;");
            using (writer.Block($"for (; i <= {inputs} - {VectorCount}; i += {VectorCount})"))
            {
                for (int r = 0; r < samples; r++)
                {
                    writer.Line($"var x{r} = {LoadUnsafe}(ref xRow{r}, (nuint)i);");
                }

                for (int c = 0; c < outputs; c++)
                {
                    writer.Line($"var w{c} = {LoadUnsafe}(ref wRow{c}, (nuint)i);");
                }

                for (int r = 0; r < samples; r++)
                {
                    for (int c = 0; c < outputs; c++)
                    {
                        writer.Line(MultiplyAdd(useFma, $"sum{r}{c}", $"x{r}", $"w{c}"));
                    }
                }
            }

            writer.Line();
            for (int r = 0; r < samples; r++)
            {
                for (int c = 0; c < outputs; c++)
                {
                    writer.Line($"float total{r}{c} = b[o + {c}] + global::System.Numerics.Vector.Sum(sum{r}{c});");
                }
            }

            using (writer.Block($"for (; i < {inputs}; i++)"))
            {
                for (int r = 0; r < samples; r++)
                {
                    for (int c = 0; c < outputs; c++)
                    {
                        writer.Line($"total{r}{c} += {UnsafeAdd}(ref xRow{r}, i) * {UnsafeAdd}(ref wRow{c}, i);");
                    }
                }
            }

            writer.Line();
            string outputsName = Layer(layer.Number, "Outputs");
            for (int r = 0; r < samples; r++)
            {
                for (int c = 0; c < outputs; c++)
                {
                    string total = $"total{r}{c}";
                    WriteActivationStore(writer, layer, keepsLogits, applyLater, $"[(s + {r}) * {outputsName} + o + {c}]", total);
                }
            }
        }

        /// <summary>acc += a·b, fused into one rounding where the target framework offers it.</summary>
        private static string MultiplyAdd(bool useFma, string accumulator, string a, string b) =>
            useFma
                ? $"{accumulator} = global::System.Numerics.Vector.FusedMultiplyAdd({a}, {b}, {accumulator});"
                : $"{accumulator} += {a} * {b};";

        /// <summary>
        /// Applies the activation to the whole batch. A layer that keeps its logits is the output of CrossEntropy
        /// (Softmax) or BinaryCrossEntropy (Sigmoid, vectorized), as the validator guarantees, so both cases are below.
        /// </summary>
        private static void WriteBatchActivation(IndentedWriter writer, LayerSpec layer, bool keepsLogits)
        {
            string outputs = Layer(layer.Number, "Outputs");
            if (layer.Activation == ActivationKind.Softmax)
            {
                writer.Line();
                using (writer.Block("for (int row = 0; row < count; row++)"))
                {
                    writer.Line($"{SampleSoftmax}(z.Slice(row * {outputs}, {outputs}), a.Slice(row * {outputs}, {outputs}));");
                }
            }
            else if (ActivationCode.VectorizedCall(layer.Activation) is { } call)
            {
                writer.Line();
                writer.Line($"// {layer.Activation} over the whole batch at once, a Vector<float> at a time.");
                if (keepsLogits)
                {
                    writer.Line("z.CopyTo(a);");
                }

                writer.Line($"{call}(a);");
            }
        }

        /// <summary>
        /// Writes <c>LayerNBackwardBatch</c>: db += Σₛ δ, dW += δᵀ·X in output × input-vector tiles, and for all but the
        /// first layer the previous δ = (δ·W) ⊙ f' in sample × input-vector tiles.
        /// </summary>
        private static void WriteLayerBackwardBatch(IndentedWriter writer, NetworkSpec spec, LayerSpec layer)
        {
            int n = layer.Number;
            LayerSpec? previous = n > 1 ? spec.Layers[n - 2] : null;
            string inputs = Layer(n, "Inputs"), outputs = Layer(n, "Outputs");
            writer.Line($"/// <summary>Layer {n} backward over a batch: db{n} += Σ δ{n}, dW{n} += δ{n}ᵀ·X{(previous is null ? "" : $", δ{n - 1} = (δ{n}·W{n}) ⊙ f'(z{n - 1})")}.</summary>");
            writer.Line(GeneratedCode);
            using (writer.Block($"private void {Layer(n, "BackwardBatch")}(global::NetGen.BatchWorkspace workspace, int count)"))
            {
                writer.Line("int capacity = workspace.Capacity;");
                writer.Line($"var weightGradients = new {Span}(workspace.Gradients, {Layer(n, "WeightsOffset")}, {outputs} * {inputs});");
                writer.Line($"var biasGradients = new {Span}(workspace.Gradients, {Layer(n, "BiasesOffset")}, {outputs});");
                writer.Line($"var x = new {ReadOnlySpan}(workspace.Activations, capacity * {LayerInputOffset(layer)}, count * {inputs});");
                writer.Line($"var delta = new {ReadOnlySpan}(workspace.Deltas, capacity * {Layer(n, "DeltaOffset")}, count * {outputs});");
                writer.Line($"ref float xStart = ref {GetReference}(x);");
                writer.Line($"ref float gradientStart = ref {GetReference}(weightGradients);");
                writer.Line();
                using (writer.Block("for (int k = 0; k < count; k++)"))
                {
                    using (writer.Block($"for (int j = 0; j < {outputs}; j++)"))
                    {
                        writer.Line($"biasGradients[j] += delta[k * {outputs} + j];");
                    }
                }

                writer.Line();
                writer.Line($"// dW rows o.., columns i..: Σ over the batch of δ[k, o]·x[k, i].");
                writer.Line("int o = 0;");
                if (layer.Outputs >= OutputTile)
                {
                    using (writer.Block($"for (; o + {OutputTile} <= {outputs}; o += {OutputTile})"))
                    {
                        WriteWeightGradientColumns(writer, layer, OutputTile, spec.UseFusedMultiplyAdd);
                    }
                }

                if (layer.Outputs % OutputTile != 0)
                {
                    using (writer.Block($"for (; o < {outputs}; o++)"))
                    {
                        WriteWeightGradientColumns(writer, layer, 1, spec.UseFusedMultiplyAdd);
                    }
                }

                if (previous is not null)
                {
                    writer.Line();
                    writer.Line($"var w = new {ReadOnlySpan}({ParametersField}, {Layer(n, "WeightsOffset")}, {outputs} * {inputs});");
                    writer.Line($"var inputDelta = new {Span}(workspace.Deltas, capacity * {Layer(previous.Number, "DeltaOffset")}, count * {inputs});");
                    writer.Line($"ref float wStart = ref {GetReference}(w);");
                    writer.Line($"ref float inputDeltaStart = ref {GetReference}(inputDelta);");
                    writer.Line($"// δ{n - 1} rows s.., columns i..: Σ over outputs of δ[s, k]·W[k, i].");
                    writer.Line("int s = 0;");
                    using (writer.Block($"for (; s + {SampleTile} <= count; s += {SampleTile})"))
                    {
                        WriteInputDeltaColumns(writer, layer, SampleTile, spec.UseFusedMultiplyAdd);
                    }

                    using (writer.Block("for (; s < count; s++)"))
                    {
                        WriteInputDeltaColumns(writer, layer, 1, spec.UseFusedMultiplyAdd);
                    }

                    if (previous.Activation != ActivationKind.Identity)
                    {
                        writer.Line();
                        writer.Line($"// Through layer {previous.Number}'s {previous.Activation}: f' = {ActivationCode.DescribeDerivative(previous.Activation, $"a{previous.Number}")}.");
                        using (writer.Block($"for (int j = 0; j < count * {inputs}; j++)"))
                        {
                            writer.Line($"inputDelta[j] = {ActivationCode.TimesDerivative(previous.Activation, "inputDelta[j]", "x[j]")};");
                        }
                    }
                }
            }

            writer.Line();
        }

        private static void WriteWeightGradientColumns(IndentedWriter writer, LayerSpec layer, int rows, bool useFma)
        {
            string inputs = Layer(layer.Number, "Inputs"), outputs = Layer(layer.Number, "Outputs");
            WriteColumnTiles(
                writer,
                layer,
                rows,
                reduction: "count",
                vectorRow: $"k * {inputs}",
                vectorStart: "xStart",
                broadcast: r => $"delta[k * {outputs} + o + {r}]",
                store: (r, offset, value) => $"{StoreUnsafe}({LoadUnsafe}(ref gradientStart, (nuint)((o + {r}) * {inputs} + {offset})) + {value}, ref gradientStart, (nuint)((o + {r}) * {inputs} + {offset}));",
                scalarStore: (r, value) => $"weightGradients[(o + {r}) * {inputs} + i] += {value};",
                scalarTerm: r => $"delta[k * {outputs} + o + {r}] * x[k * {inputs} + i]",
                useFma);
        }

        private static void WriteInputDeltaColumns(IndentedWriter writer, LayerSpec layer, int rows, bool useFma)
        {
            string inputs = Layer(layer.Number, "Inputs"), outputs = Layer(layer.Number, "Outputs");
            WriteColumnTiles(
                writer,
                layer,
                rows,
                reduction: outputs,
                vectorRow: $"k * {inputs}",
                vectorStart: "wStart",
                broadcast: r => $"delta[(s + {r}) * {outputs} + k]",
                store: (r, offset, value) => $"{StoreUnsafe}({value}, ref inputDeltaStart, (nuint)((s + {r}) * {inputs} + {offset}));",
                scalarStore: (r, value) => $"inputDelta[(s + {r}) * {inputs} + i] = {value};",
                scalarTerm: r => $"delta[(s + {r}) * {outputs} + k] * w[k * {inputs} + i]",
                useFma);
        }

        /// <summary>
        /// Columns of a rows × Inputs block, each the sum over <paramref name="reduction"/> of a broadcast scalar times a
        /// vector row: tiles of <see cref="VectorTile"/> vectors, then one vector, then scalars.
        /// </summary>
        private static void WriteColumnTiles(
            IndentedWriter writer,
            LayerSpec layer,
            int rows,
            string reduction,
            string vectorRow,
            string vectorStart,
            System.Func<int, string> broadcast,
            System.Func<int, string, string, string> store,
            System.Func<int, string, string> scalarStore,
            System.Func<int, string> scalarTerm,
            bool useFma)
        {
            string inputs = Layer(layer.Number, "Inputs");
            writer.Line("int i = 0;");
            using (writer.Block($"for (; i + {VectorTile} * {VectorCount} <= {inputs}; i += {VectorTile} * {VectorCount})"))
            {
                WriteBroadcastTile(writer, rows, VectorTile, reduction, vectorRow, vectorStart, broadcast, store, useFma);
            }

            using (writer.Block($"if (i + {VectorCount} <= {inputs})"))
            {
                WriteBroadcastTile(writer, rows, 1, reduction, vectorRow, vectorStart, broadcast, store, useFma);
                writer.Line($"i += {VectorCount};");
            }

            using (writer.Block($"for (; i < {inputs}; i++)"))
            {
                for (int r = 0; r < rows; r++)
                {
                    writer.Line($"float total{r} = 0f;");
                }

                using (writer.Block($"for (int k = 0; k < {reduction}; k++)"))
                {
                    for (int r = 0; r < rows; r++)
                    {
                        writer.Line($"total{r} += {scalarTerm(r)};");
                    }
                }

                for (int r = 0; r < rows; r++)
                {
                    writer.Line(scalarStore(r, $"total{r}"));
                }
            }
        }

        private static void WriteBroadcastTile(
            IndentedWriter writer,
            int rows,
            int vectors,
            string reduction,
            string vectorRow,
            string vectorStart,
            System.Func<int, string> broadcast,
            System.Func<int, string, string, string> store,
            bool useFma)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    writer.Line($"var sum{r}{v} = global::System.Numerics.Vector<float>.Zero;");
                }
            }

            using (writer.Block($"for (int k = 0; k < {reduction}; k++)"))
            {
                writer.Line($"int row = {vectorRow} + i;");
                for (int v = 0; v < vectors; v++)
                {
                    writer.Line($"var v{v} = {LoadUnsafe}(ref {vectorStart}, (nuint)(row + {v} * {VectorCount}));");
                }

                for (int r = 0; r < rows; r++)
                {
                    writer.Line($"var d{r} = new global::System.Numerics.Vector<float>({broadcast(r)});");
                }

                for (int r = 0; r < rows; r++)
                {
                    for (int v = 0; v < vectors; v++)
                    {
                        writer.Line(MultiplyAdd(useFma, $"sum{r}{v}", $"d{r}", $"v{v}"));
                    }
                }
            }

            for (int r = 0; r < rows; r++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    writer.Line(store(r, $"i + {v} * {VectorCount}", $"sum{r}{v}"));
                }
            }
        }
    }
}
