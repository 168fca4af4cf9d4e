using System;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.GeneratedNames;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// Writes the batched passes. Every product is a register tile (see the <c>Emitter.Tiles</c> file): a few samples by
    /// a few vectors of outputs (forward), a few inputs by a few vectors of outputs (weight gradients), a few samples by
    /// a few inputs (deltas), so that each load feeds several multiply-adds and the accumulators stay in registers.
    /// Tails over the layer sizes are decided here, at generation time; only the sample count is known at run time.
    /// </summary>
    internal static partial class Emitter
    {
        private const string UnsafeAdd = "global::System.Runtime.CompilerServices.Unsafe.Add";
        private const int SampleTile = 4;
        private const int InputTile = 4;
        private const int VectorTile = 4;

        /// <summary>
        /// Batched tiles: <see cref="VectorTile"/> vectors of outputs, then two, then one, then single outputs. A 4 × 4 tile
        /// holds 16 accumulators, which fit the 32 vector registers of AVX-512 hardware alongside its operands.
        /// </summary>
        private static readonly int[] BatchVectorTiles = { VectorTile, 2, 1 };

        private static void WriteBatchApi(IndentedWriter writer, NetworkSpec spec)
        {
            LayerSpec output = spec.OutputLayer;
            writer.Line("/// <inheritdoc/>");
            writer.Line(GeneratedCode);
            writer.Line($"public global::NetGen.BatchWorkspace {CreateWorkspace}(int capacity) =>");
            writer.Line($"    new global::NetGen.BatchWorkspace(capacity, {InputSize}, {ActivationCount}, {DeltaCount}, {ParameterCount}, {(TransposeScratch(spec) > 0 ? TransposeCount : "0")}, {ArchitectureFingerprint});");
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
                writer.Line($"var inputRows = workspace.Activations.Slice(capacity * {InputOffset}, count * {InputSize});");
                writer.Line("// Inputs written straight into the workspace (BatchWorkspace.InputRows) are already in place.");
                using (writer.Block($"if (!global::System.Runtime.CompilerServices.Unsafe.AreSame(ref {GetReference}(inputs), ref {GetReference}(inputRows)))"))
                {
                    writer.Line("inputs.CopyTo(inputRows);");
                }

                writer.Line();
                foreach (LayerSpec layer in spec.Layers)
                {
                    if (UsesTransposedWeights(layer))
                    {
                        writer.Line($"{Layer(layer.Number, "TransposeWeights")}(workspace, 0, {Layer(layer.Number, "Outputs")});");
                    }
                }

                writer.Line("// One block of samples at a time through every layer: a block's inputs and a layer's weights fit in L2 together,");
                writer.Line("// where a large batch's inputs would push the weights out.");
                using (writer.Block($"for (int first = 0; first < count; first += {ForwardSampleBlock})"))
                {
                    writer.Line($"int block = global::System.Math.Min({ForwardSampleBlock}, count - first);");
                    foreach (LayerSpec layer in spec.Layers)
                    {
                        writer.Line($"{Layer(layer.Number, "ForwardBatch")}(workspace, first, block, 0, {Layer(layer.Number, "Outputs")});");
                    }

                    if (output.Activation == ActivationKind.Softmax)
                    {
                        writer.Line($"{SoftmaxRows}(workspace, first, first + block);");
                    }
                }

                writer.Line();

                writer.Line($"workspace.Activations.ReadOnlySlice(capacity * {Layer(output.Number, "OutputOffset")}, count * {OutputSize}).CopyTo(outputs);");
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
                    LayerSpec layer = spec.Layers[i];
                    writer.Line($"{Layer(layer.Number, "WeightGradientsBatch")}(workspace, count, 0, {Layer(layer.Number, "Outputs")});");
                    if (i > 0)
                    {
                        writer.Line($"{Layer(layer.Number, "InputDeltaBatch")}(workspace, count, 0, {Layer(layer.Number, "Inputs")});");
                    }
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
                writer.Line($"return {BatchLossRows}(workspace, targets, 0, workspace.Count);");
            }

            writer.Line();
            writer.Line("/// <summary>The summed loss of samples [firstRow, endRow) against their rows of <paramref name=\"targets\"/>, and their output δ.</summary>");
            writer.Line(GeneratedCode);
            using (writer.Block($"private float {BatchLossRows}(global::NetGen.BatchWorkspace workspace, {ReadOnlySpan} targets, int firstRow, int endRow)"))
            {
                writer.Line("int capacity = workspace.Capacity;");
                writer.Line("float loss = 0f;");
                using (writer.Block("for (int s = firstRow; s < endRow; s++)"))
                {
                    string z = spec.LogitsOffset >= 0 ? $"workspace.Activations.ReadOnlySlice(capacity * {LogitsOffset} + s * {OutputSize}, {OutputSize}), " : "";
                    writer.Line($"loss += {SampleLoss}(");
                    writer.Line($"    workspace.Activations.ReadOnlySlice(capacity * {Layer(output.Number, "OutputOffset")} + s * {OutputSize}, {OutputSize}),");
                    writer.Line($"    {z}workspace.Deltas.Slice(capacity * {Layer(output.Number, "DeltaOffset")} + s * {OutputSize}, {OutputSize}),");
                    writer.Line($"    targets.Slice(s * {OutputSize}, {OutputSize}));");
                }

                writer.Line();
                writer.Line("return loss;");
            }

            writer.Line();
            if (output.Activation == ActivationKind.Softmax)
            {
                writer.Line("/// <summary>");
                writer.Line("/// Softmax over the output logits of samples [firstRow, endRow), once all of each row's outputs are computed: each");
                writer.Line("/// row shifted by its largest logit so that exp cannot overflow, then one vectorized exp over the whole block, where");
                writer.Line("/// a row of a few outputs would leave most of its exps to the scalar tail.");
                writer.Line("/// </summary>");
                writer.Line(GeneratedCode);
                using (writer.Block($"private static void {SoftmaxRows}(global::NetGen.BatchWorkspace workspace, int firstRow, int endRow)"))
                {
                    writer.Line("int capacity = workspace.Capacity;");
                    writer.Line($"var z = workspace.Activations.ReadOnlySlice(capacity * {LogitsOffset} + firstRow * {OutputSize}, (endRow - firstRow) * {OutputSize});");
                    writer.Line($"var a = workspace.Activations.Slice(capacity * {Layer(output.Number, "OutputOffset")} + firstRow * {OutputSize}, (endRow - firstRow) * {OutputSize});");
                    using (writer.Block($"for (int row = 0; row < a.Length; row += {OutputSize})"))
                    {
                        writer.Line("float max = z[row];");
                        using (writer.Block($"for (int j = 1; j < {OutputSize}; j++)"))
                        {
                            writer.Line("max = global::System.MathF.Max(max, z[row + j]);");
                        }

                        writer.Line();
                        using (writer.Block($"for (int j = 0; j < {OutputSize}; j++)"))
                        {
                            writer.Line("a[row + j] = z[row + j] - max;");
                        }
                    }

                    writer.Line();
                    writer.Line("global::NetGen.VectorMath.Exp(a);");
                    using (writer.Block($"for (int row = 0; row < a.Length; row += {OutputSize})"))
                    {
                        writer.Line("float total = 0f;");
                        using (writer.Block($"for (int j = 0; j < {OutputSize}; j++)"))
                        {
                            writer.Line("total += a[row + j];");
                        }

                        writer.Line();
                        writer.Line("float scale = 1f / total;");
                        using (writer.Block($"for (int j = 0; j < {OutputSize}; j++)"))
                        {
                            writer.Line("a[row + j] *= scale;");
                        }
                    }
                }

                writer.Line();
            }
        }

        /// <summary>Writes one layer's batched methods: forward, gradients, previous δ and, for a narrow layer, its Wᵀ.</summary>
        private static void WriteLayerBatch(IndentedWriter writer, NetworkSpec spec, LayerSpec layer)
        {
            WriteLayerForwardBatch(writer, spec, layer);
            WriteLayerBackwardBatch(writer, spec, layer);
            if (UsesTransposedWeights(layer))
            {
                WriteLayerTransposeWeights(writer, layer);
            }
        }

        /// <summary>
        /// Writes <c>LayerNForwardBatch</c>: Z = X·W + b for samples [first, first + count) and outputs
        /// [firstOutput, endOutput), each output activated as it is stored: sample × output-vector register tiles, or
        /// for a narrow layer sample × output dot products from Wᵀ. A Softmax layer stores z only: its rows need every
        /// output, so the callers apply it once the layer is complete.
        /// </summary>
        private static void WriteLayerForwardBatch(IndentedWriter writer, NetworkSpec spec, LayerSpec layer)
        {
            int n = layer.Number;
            bool keepsLogits = layer == spec.OutputLayer && spec.LogitsOffset >= 0;
            string tiles = UsesTransposedWeights(layer) ? $"{SampleTile}-sample × {InputTile}-output dot products along the inputs" : $"{SampleTile}-sample × {VectorTile}-vector register tiles";
            writer.Line($"/// <summary>Layer {n} over a batch: {ActivationCode.Describe(layer.Activation, $"X·W{n} + b{n}")} for outputs [firstOutput, endOutput), in {tiles}.</summary>");
            writer.Line(GeneratedCode);
            using (writer.Block($"private void {Layer(n, "ForwardBatch")}(global::NetGen.BatchWorkspace workspace, int first, int count, int firstOutput, int endOutput)"))
            {
                writer.Line("int capacity = workspace.Capacity;");
                WriteForwardSpans(writer, layer, keepsLogits, "capacity * ", "count * ", "first", dotProducts: UsesTransposedWeights(layer));
                writer.Line();
                if (UsesTransposedWeights(layer))
                {
                    WriteTransposedForwardBatch(writer, spec, layer, keepsLogits);
                }
                else
                {
                    WriteBroadcastForwardBatch(writer, spec, layer, keepsLogits);
                }

                WriteDeferredActivationRows(writer, layer, keepsLogits);
            }

            writer.Line();
        }

        /// <summary>Z = X·W + b as broadcast tiles: a few samples by a few vectors of outputs.</summary>
        private static void WriteBroadcastForwardBatch(IndentedWriter writer, NetworkSpec spec, LayerSpec layer, bool keepsLogits)
        {
            int n = layer.Number;
            string outputs = Layer(n, "Outputs");

            // Samples outside, outputs inside: a tile's sample rows stay in L1 while the weight rows stream past.
            writer.Line("// z[s, o..] = b[o..] + Σₖ x[s, k]·W[k, o..] for a few samples s at a time.");
            BroadcastProduct product = ForwardProduct(spec, layer, keepsLogits, r => $"(s + {r}) * {outputs} + ", $"s * {Layer(n, "Inputs")}", biasAtStore: true);
            product.FirstColumn = "firstOutput";
            product.Columns = "endOutput";
            writer.Line("int s = 0;");
            using (writer.Block($"for (; s + {SampleTile} <= count; s += {SampleTile})"))
            {
                WriteBroadcastColumns(writer, product, SampleTile, BatchVectorTiles, splitChains: false, wideTilesFirst: true);
            }

            using (writer.Block("for (; s < count; s++)"))
            {
                WriteBroadcastColumns(writer, product, 1, BatchVectorTiles, splitChains: false, wideTilesFirst: true);
            }
        }

        /// <summary>
        /// Z = X·W + b for a narrow layer (see <see cref="UsesTransposedWeights"/>) as dot products: the layer's weights
        /// are transposed into workspace scratch, one row per output, and each z[s, o] is a row of x times a row of Wᵀ,
        /// so the sums run along the inputs a Vector&lt;float&gt; at a time.
        /// </summary>
        private static void WriteTransposedForwardBatch(IndentedWriter writer, NetworkSpec spec, LayerSpec layer, bool keepsLogits)
        {
            int n = layer.Number;
            string inputs = Layer(n, "Inputs"), outputs = Layer(n, "Outputs");
            writer.Line($"// Wᵀ as {Layer(n, "TransposeWeights")} left it in the scratch for these outputs.");
            writer.Line($"ref float transposedStart = ref {GetReference}(workspace.Transpose.Slice({Layer(n, "TransposeOffset")}, {inputs} * {outputs}));");
            writer.Line($"// z[s, o] = b[o] + Σₖ x[s, k]·W{n}ᵀ[o, k], a few samples by a few outputs at a time.");
            var product = new DotProduct
            {
                Length = inputs,
                LeftRow = r => $"{UnsafeAdd}(ref xStart, (s + {r}) * {inputs})",
                RightRow = c => $"{UnsafeAdd}(ref transposedStart, (o + {c}) * {inputs})",
                Store = (w, r, c, total) => WriteActivationStore(
                    w, layer, keepsLogits, DefersActivation(layer), $"[(s + {r}) * {outputs} + o + {c}]", $"{total} + b[o + {c}]"),
                UseFusedMultiplyAdd = spec.UseFusedMultiplyAdd,
            };
            using (writer.Block())
            {
                writer.Line("int o = firstOutput;");
                using (writer.Block($"for (; o + {InputTile} <= endOutput; o += {InputTile})"))
                {
                    WriteDotSamples(writer, product, InputTile);
                }

                using (writer.Block("for (; o < endOutput; o++)"))
                {
                    WriteDotSamples(writer, product, 1);
                }
            }
        }

        /// <summary>Writes <c>LayerNTransposeWeights</c>, which a narrow layer's batched forward runs once per batch, before its blocks.</summary>
        private static void WriteLayerTransposeWeights(IndentedWriter writer, LayerSpec layer)
        {
            int n = layer.Number;
            string inputs = Layer(n, "Inputs"), outputs = Layer(n, "Outputs");
            writer.Line($"/// <summary>Layer {n}'s weights as Wᵀ in workspace scratch, for outputs [firstOutput, endOutput): what {Layer(n, "ForwardBatch")} reads.</summary>");
            writer.Line(GeneratedCode);
            using (writer.Block($"private void {Layer(n, "TransposeWeights")}(global::NetGen.BatchWorkspace workspace, int firstOutput, int endOutput)"))
            {
                writer.Line($"var w = {ParametersField}.ReadOnlySlice({Layer(n, "WeightsOffset")}, {inputs} * {outputs});");
                writer.Line($"var transposed = workspace.Transpose.Slice({Layer(n, "TransposeOffset")}, {inputs} * {outputs});");
                WriteTranspose(writer, layer, ("0", inputs), ("firstOutput", "endOutput"));
            }

            writer.Line();
        }

        /// <summary>
        /// Copies weights into workspace scratch as Wᵀ[o, i] = W[i, o] for inputs i in <paramref name="inputs"/> and
        /// outputs o in <paramref name="outputs"/> (each "first, end"). Only that block: threads that split a pass by
        /// outputs, or by inputs, each transpose the part they read.
        /// </summary>
        private static void WriteTranspose(IndentedWriter writer, LayerSpec layer, (string First, string End) inputs, (string First, string End) outputs)
        {
            int n = layer.Number;
            writer.Line($"// W{n}ᵀ[o, i] = W{n}[i, o]: {layer.Outputs} rows of {layer.Inputs}, written for this range only.");
            using (writer.Block($"for (int i = {inputs.First}; i < {inputs.End}; i++)"))
            {
                using (writer.Block($"for (int o = {outputs.First}; o < {outputs.End}; o++)"))
                {
                    writer.Line($"transposed[o * {Layer(n, "Inputs")} + i] = w[i * {Layer(n, "Outputs")} + o];");
                }
            }
        }

        /// <summary>
        /// The activation of a deferred layer (see <see cref="DefersActivation"/>) over each sample's outputs
        /// [firstOutput, endOutput): Sigmoid/Tanh in place, or from z. Row by row, so that a split pass and a whole one
        /// cut the vectors at the same places and agree bit for bit.
        /// </summary>
        private static void WriteDeferredActivationRows(IndentedWriter writer, LayerSpec layer, bool keepsLogits)
        {
            if (ActivationCode.VectorizedCall(layer.Activation) is not { } call)
            {
                return;
            }

            string outputs = Layer(layer.Number, "Outputs");
            writer.Line();
            writer.Line($"// {layer.Activation} over each sample's outputs at once, a Vector<float> at a time.");
            using (writer.Block("for (int row = 0; row < count; row++)"))
            {
                writer.Line($"var activated = a.Slice(row * {outputs} + firstOutput, endOutput - firstOutput);");
                if (keepsLogits)
                {
                    writer.Line($"z.Slice(row * {outputs} + firstOutput, endOutput - firstOutput).CopyTo(activated);");
                }

                writer.Line($"{call}(activated);");
            }
        }

        /// <summary>
        /// The spans and references of a forward pass; <paramref name="scale"/> and <paramref name="rows"/> are empty for
        /// one sample. With <paramref name="dotProducts"/> (a narrow layer's batched pass, which reads Wᵀ and stores
        /// through the spans) only the spans and the inputs' reference.
        /// </summary>
        private static void WriteForwardSpans(IndentedWriter writer, LayerSpec layer, bool keepsLogits, string scale, string rows, string firstRow = "", bool dotProducts = false)
        {
            int n = layer.Number;
            string outputs = Layer(n, "Outputs"), inputs = Layer(n, "Inputs");
            string arena = scale.Length == 0 ? ActivationsField : "workspace.Activations";
            string Skip(string size) => firstRow.Length == 0 ? "" : $" + {firstRow} * {size}";
            if (!dotProducts)
            {
                writer.Line($"var w = {ParametersField}.ReadOnlySlice({Layer(n, "WeightsOffset")}, {inputs} * {outputs});");
            }

            writer.Line($"var b = {ParametersField}.ReadOnlySlice({Layer(n, "BiasesOffset")}, {outputs});");
            writer.Line($"var x = {arena}.ReadOnlySlice({scale}{LayerInputOffset(layer)}{Skip(inputs)}, {rows}{inputs});");

            // A batched Softmax layer stores z only; its callers write a.
            if (scale.Length == 0 || layer.Activation != ActivationKind.Softmax)
            {
                writer.Line($"var a = {arena}.Slice({scale}{Layer(n, "OutputOffset")}{Skip(outputs)}, {rows}{outputs});");
            }

            if (keepsLogits)
            {
                writer.Line($"var z = {arena}.Slice({scale}{LogitsOffset}{Skip(outputs)}, {rows}{outputs});");
            }

            writer.Line($"ref float xStart = ref {GetReference}(x);");
            if (!dotProducts)
            {
                writer.Line($"ref float wStart = ref {GetReference}(w);");
                writer.Line($"ref float bStart = ref {GetReference}(b);");
                writer.Line(StoresLogits(layer, keepsLogits) ? $"ref float zStart = ref {GetReference}(z);" : $"ref float aStart = ref {GetReference}(a);");
            }
        }

        /// <summary>
        /// Whether the tiles store z, with a computed afterwards: Softmax, and Sigmoid under BinaryCrossEntropy (the
        /// validator allows no other activation to keep its logits).
        /// </summary>
        private static bool StoresLogits(LayerSpec layer, bool keepsLogits) =>
            keepsLogits || layer.Activation == ActivationKind.Softmax;

        /// <summary>
        /// Sigmoid and Tanh run once over the whole layer after the tiles: inlined into every tile's stores, their
        /// temporaries outnumber the locals the JIT tracks in registers and the whole layer method slows down.
        /// </summary>
        private static bool DefersActivation(LayerSpec layer) => ActivationCode.VectorizedCall(layer.Activation) is not null;

        /// <summary>The activation of a deferred layer over a (whole-layer or whole-batch) span: Sigmoid/Tanh in place, or from z.</summary>
        private static void WriteDeferredActivation(IndentedWriter writer, LayerSpec layer, bool keepsLogits)
        {
            if (ActivationCode.VectorizedCall(layer.Activation) is not { } call)
            {
                return;
            }

            writer.Line();
            writer.Line($"// {layer.Activation} over the whole {(keepsLogits ? "logits" : "layer")} at once, a Vector<float> at a time.");
            if (keepsLogits)
            {
                writer.Line("z.CopyTo(a);");
            }

            writer.Line($"{call}(a);");
        }

        /// <summary>
        /// z[r, o..] = b[o..] + Σₖ x[r, k]·W[k, o..], stored through the activation; Softmax stores z and is applied per
        /// sample afterwards. <paramref name="outputRow"/> is the prefix "offset + " of tile row r in the outputs (empty for one
        /// sample), <paramref name="firstInputRow"/> the offset of tile row 0 in the inputs (empty for one sample). With
        /// <paramref name="biasAtStore"/> the vector accumulators start from zero and b is added as they are stored: when
        /// several tile rows start from the same bias vector, the JIT keeps one copy of it live through the loop and
        /// spills an accumulator of a 4 × 4 tile.
        /// </summary>
        private static BroadcastProduct ForwardProduct(NetworkSpec spec, LayerSpec layer, bool keepsLogits, Func<int, string> outputRow, string firstInputRow, bool biasAtStore)
        {
            string outputs = Layer(layer.Number, "Outputs");
            return new BroadcastProduct
            {
                Columns = outputs,
                MostColumns = layer.Outputs,
                Reduction = Layer(layer.Number, "Inputs"),
                VectorStart = "wStart",
                VectorStride = outputs,
                ScalarStart = firstInputRow.Length == 0 ? "xStart" : $"{UnsafeAdd}(ref xStart, {firstInputRow})",
                ScalarRowDistance = Layer(layer.Number, "Inputs"),
                InitialVector = biasAtStore ? null : (_, column, vector) => $"{vector.LoadUnsafe}(ref bStart, {Offset(column)})",
                InitialScalar = _ => $"{UnsafeAdd}(ref bStart, o)",
                StoreVector = (w, r, column, accumulated, vector) =>
                {
                    string index = Offset(outputRow(r) + column);
                    string sum = biasAtStore ? $"{accumulated} + {vector.LoadUnsafe}(ref bStart, {Offset(column)})" : accumulated;
                    if (StoresLogits(layer, keepsLogits))
                    {
                        w.Line($"{vector.StoreUnsafe}({sum}, ref zStart, {index});");
                    }
                    else
                    {
                        string value = DefersActivation(layer) ? sum : ActivationCode.ApplyVector(layer.Activation, sum);
                        w.Line($"{vector.StoreUnsafe}({value}, ref aStart, {index});");
                    }
                },
                StoreScalar = (w, r, total) => WriteActivationStore(w, layer, keepsLogits, DefersActivation(layer), $"[{outputRow(r)}o]", total),
                UseFusedMultiplyAdd = spec.UseFusedMultiplyAdd,
            };
        }

        /// <summary>
        /// Writes db[o] += Σₛ δ[s, o] for o in [firstOutput, endOutput) as column sums: one vector of outputs accumulates
        /// over the whole batch in a register before it is stored, then any outputs left over after whole vectors are
        /// summed one at a time. Each bias gradient still adds the samples in order, so the result matches a plain loop
        /// bit for bit.
        /// </summary>
        private static void WriteBiasGradientBatch(IndentedWriter writer, LayerSpec layer)
        {
            string outputs = Layer(layer.Number, "Outputs");
            writer.Line("// db[o..] += Σ over the batch of δ[k, o..].");
            using (writer.Block())
            {
                writer.Line("int o = firstOutput;");
                if (layer.Outputs >= MinimumVectorizedOutputs)
                {
                    writer.Line($"ref float biasStart = ref {GetReference}(biasGradients);");
                    using (writer.Block($"for (; o + {VectorCount} <= endOutput; o += {VectorCount})"))
                    {
                        writer.Line($"var sum = {LoadUnsafe}(ref biasStart, (nuint)o);");
                        using (writer.Block("for (int k = 0; k < count; k++)"))
                        {
                            writer.Line($"sum += {LoadUnsafe}(ref deltaStart, (nuint)(k * {outputs} + o));");
                        }

                        writer.Line();
                        writer.Line($"{StoreUnsafe}(sum, ref biasStart, (nuint)o);");
                    }

                    writer.Line();
                }

                using (writer.Block("for (; o < endOutput; o++)"))
                {
                    writer.Line("float total = biasGradients[o];");
                    using (writer.Block("for (int k = 0; k < count; k++)"))
                    {
                        writer.Line($"total += delta[k * {outputs} + o];");
                    }

                    writer.Line();
                    writer.Line("biasGradients[o] = total;");
                }
            }
        }

        /// <summary>
        /// Writes <c>LayerNWeightGradientsBatch</c>: db += Σₛ δ and dW += Xᵀ·δ for outputs [firstOutput, endOutput), in
        /// input × output-vector tiles; and for all but the first layer <c>LayerNInputDeltaBatch</c>: the previous δ =
        /// (δ·Wᵀ) ⊙ f' for inputs [firstInput, endInput).
        /// </summary>
        private static void WriteLayerBackwardBatch(IndentedWriter writer, NetworkSpec spec, LayerSpec layer)
        {
            int n = layer.Number;
            string inputs = Layer(n, "Inputs"), outputs = Layer(n, "Outputs");
            writer.Line($"/// <summary>Layer {n}'s gradients over a batch, for outputs [firstOutput, endOutput): db{n} += Σ δ{n}, dW{n} += Xᵀ·δ{n}.</summary>");
            writer.Line(GeneratedCode);
            using (writer.Block($"private void {Layer(n, "WeightGradientsBatch")}(global::NetGen.BatchWorkspace workspace, int count, int firstOutput, int endOutput)"))
            {
                WriteBackwardSpans(writer, layer);
                writer.Line($"var weightGradients = workspace.Gradients.Slice({Layer(n, "WeightsOffset")}, {inputs} * {outputs});");
                writer.Line($"var biasGradients = workspace.Gradients.Slice({Layer(n, "BiasesOffset")}, {outputs});");
                writer.Line($"ref float gradientStart = ref {GetReference}(weightGradients);");
                writer.Line();
                WriteBiasGradientBatch(writer, layer);

                writer.Line();
                writer.Line("// dW rows i.., columns o..: Σ over the batch of x[k, i]·δ[k, o].");
                var weightGradient = new BroadcastProduct
                {
                    FirstColumn = "firstOutput",
                    Columns = "endOutput",
                    MostColumns = layer.Outputs,
                    Reduction = "count",
                    VectorStart = "deltaStart",
                    VectorStride = outputs,
                    ScalarStart = $"{UnsafeAdd}(ref xStart, i)",
                    ScalarRowDistance = "1",
                    ScalarStride = inputs,
                    StoreVector = (w, r, column, sum, vector) =>
                    {
                        string index = $"(nuint)((i + {r}) * {outputs} + {column})";
                        w.Line($"{vector.StoreUnsafe}({vector.LoadUnsafe}(ref gradientStart, {index}) + {sum}, ref gradientStart, {index});");
                    },
                    StoreScalar = (w, r, total) => w.Line($"weightGradients[(i + {r}) * {outputs} + o] += {total};"),
                    UseFusedMultiplyAdd = spec.UseFusedMultiplyAdd,
                };
                using (writer.Block())
                {
                    writer.Line("int i = 0;");
                    if (layer.Inputs >= InputTile)
                    {
                        using (writer.Block($"for (; i + {InputTile} <= {inputs}; i += {InputTile})"))
                        {
                            WriteBroadcastColumns(writer, weightGradient, InputTile, BatchVectorTiles, splitChains: false, wideTilesFirst: true);
                        }
                    }

                    if (layer.Inputs % InputTile != 0)
                    {
                        using (writer.Block($"for (; i < {inputs}; i++)"))
                        {
                            WriteBroadcastColumns(writer, weightGradient, 1, BatchVectorTiles, splitChains: false, wideTilesFirst: true);
                        }
                    }
                }
            }

            writer.Line();
            if (n > 1)
            {
                WriteLayerInputDeltaBatch(writer, spec, layer, spec.Layers[n - 2]);
            }
        }

        /// <summary>What both halves of a layer's batched backward read: its input activations x and its δ, over the batch.</summary>
        private static void WriteBackwardSpans(IndentedWriter writer, LayerSpec layer)
        {
            int n = layer.Number;
            writer.Line("int capacity = workspace.Capacity;");
            writer.Line($"var x = workspace.Activations.ReadOnlySlice(capacity * {LayerInputOffset(layer)}, count * {Layer(n, "Inputs")});");
            writer.Line($"var delta = workspace.Deltas.ReadOnlySlice(capacity * {Layer(n, "DeltaOffset")}, count * {Layer(n, "Outputs")});");
            writer.Line($"ref float xStart = ref {GetReference}(x);");
            writer.Line($"ref float deltaStart = ref {GetReference}(delta);");
        }

        private static void WriteLayerInputDeltaBatch(IndentedWriter writer, NetworkSpec spec, LayerSpec layer, LayerSpec previous)
        {
            int n = layer.Number;
            writer.Line($"/// <summary>Layer {n}'s δ for layer {n - 1} over a batch, for inputs [firstInput, endInput): δ{n - 1} = (δ{n}·W{n}ᵀ) ⊙ f'(z{n - 1}).</summary>");
            writer.Line(GeneratedCode);
            using (writer.Block($"private void {Layer(n, "InputDeltaBatch")}(global::NetGen.BatchWorkspace workspace, int count, int firstInput, int endInput)"))
            {
                WriteBackwardSpans(writer, layer);
                WriteInputDeltaBatch(writer, spec, layer, previous);
            }

            writer.Line();
        }

        /// <summary>
        /// Layers narrower than this many outputs work from a transposed copy of their weights, one row per output. In
        /// the forward pass a broadcast tile would be a single vector wide, one multiply-add chain per sample, with the
        /// rest in scalar tails; as dot products along the inputs it runs a Vector&lt;float&gt; at a time. In the backward
        /// pass the previous δ as dot products along weight rows of a few elements would end every sum in a horizontal
        /// add and mostly scalar tails; from Wᵀ it is a broadcast product like the forward pass of a wide layer.
        /// </summary>
        private const int TransposedBelowOutputs = 32;

        /// <summary>Whether layer <paramref name="layer"/>'s batched passes work from Wᵀ (see <see cref="TransposedBelowOutputs"/>).</summary>
        private static bool UsesTransposedWeights(LayerSpec layer) => layer.Outputs < TransposedBelowOutputs;

        /// <summary>Whether layer <paramref name="layer"/>'s backward pass computes the previous δ from Wᵀ.</summary>
        private static bool UsesTransposedDelta(LayerSpec layer) => layer.Number > 1 && UsesTransposedWeights(layer);

        /// <summary>
        /// Whether any batched broadcast product is wide enough for a <see cref="TileVector.Wide"/> tile: a layer's
        /// weight gradients (and, for wide layers, its forward pass) run over its outputs, a transposed δ over its inputs.
        /// </summary>
        private static bool HasWideTiles(NetworkSpec spec)
        {
            foreach (LayerSpec layer in spec.Layers)
            {
                int lanes = TileVector.Wide.FewestLanes;
                if (layer.Outputs >= lanes || (UsesTransposedDelta(layer) && layer.Inputs >= lanes))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Where each narrow layer's Wᵀ starts in the workspace scratch (−1 for the other layers). Every narrow layer has
        /// its own place: batched Forward transposes them all before it runs the first block of samples.
        /// </summary>
        internal static int TransposeOffset(NetworkSpec spec, LayerSpec layer)
        {
            if (!UsesTransposedWeights(layer))
            {
                return -1;
            }

            int offset = 0;
            foreach (LayerSpec before in spec.Layers)
            {
                if (before.Number < layer.Number && UsesTransposedWeights(before))
                {
                    offset += before.Inputs * before.Outputs;
                }
            }

            return offset;
        }

        /// <summary>The floats of workspace scratch the transposed weights need: every narrow layer's weight count.</summary>
        internal static int TransposeScratch(NetworkSpec spec)
        {
            int floats = 0;
            foreach (LayerSpec layer in spec.Layers)
            {
                if (UsesTransposedWeights(layer))
                {
                    floats += layer.Inputs * layer.Outputs;
                }
            }

            return floats;
        }

        private static void WriteInputDeltaBatch(IndentedWriter writer, NetworkSpec spec, LayerSpec layer, LayerSpec previous)
        {
            if (UsesTransposedDelta(layer))
            {
                WriteTransposedInputDeltaBatch(writer, spec, layer, previous);
                return;
            }

            int n = layer.Number;
            string inputs = Layer(n, "Inputs"), outputs = Layer(n, "Outputs");
            writer.Line($"var w = {ParametersField}.ReadOnlySlice({Layer(n, "WeightsOffset")}, {inputs} * {outputs});");
            writer.Line($"var inputDelta = workspace.Deltas.Slice(capacity * {Layer(previous.Number, "DeltaOffset")}, count * {inputs});");
            writer.Line($"ref float wStart = ref {GetReference}(w);");
            string derivative = DerivativeClause(previous);
            writer.Line($"// δ{n - 1}[s, i] = Σ over outputs of δ[s, o]·W[i, o]{derivative}.");
            var product = new DotProduct
            {
                Length = outputs,
                LeftRow = r => $"{UnsafeAdd}(ref deltaStart, (s + {r}) * {outputs})",
                RightRow = c => $"{UnsafeAdd}(ref wStart, (i + {c}) * {outputs})",
                Store = (w, r, c, total) =>
                {
                    string index = $"(s + {r}) * {inputs} + i + {c}";
                    w.Line($"inputDelta[{index}] = {ActivationCode.TimesDerivative(previous.Activation, total, $"x[{index}]")};");
                },
                UseFusedMultiplyAdd = spec.UseFusedMultiplyAdd,
            };
            using (writer.Block())
            {
                writer.Line("int i = firstInput;");
                if (layer.Inputs >= InputTile)
                {
                    // A block of weight rows stays in L1 while every sample's δ passes over it.
                    using (writer.Block($"for (; i + {InputTile} <= endInput; i += {InputTile})"))
                    {
                        WriteDotSamples(writer, product, InputTile);
                    }
                }

                using (writer.Block("for (; i < endInput; i++)"))
                {
                    WriteDotSamples(writer, product, 1);
                }
            }
        }

        /// <summary>
        /// δ[n-1][s, i..] = (Σₒ δ[s, o]·Wᵀ[o, i..]) ⊙ f'(a[n-1][s, i..]): the layer's weights are first transposed into
        /// workspace scratch, which makes the product a broadcast one like the forward pass.
        /// </summary>
        private static void WriteTransposedInputDeltaBatch(IndentedWriter writer, NetworkSpec spec, LayerSpec layer, LayerSpec previous)
        {
            int n = layer.Number;
            string inputs = Layer(n, "Inputs"), outputs = Layer(n, "Outputs");
            writer.Line($"var w = {ParametersField}.ReadOnlySlice({Layer(n, "WeightsOffset")}, {inputs} * {outputs});");
            writer.Line($"var transposed = workspace.Transpose.Slice({Layer(n, "TransposeOffset")}, {inputs} * {outputs});");
            writer.Line($"var inputDelta = workspace.Deltas.Slice(capacity * {Layer(previous.Number, "DeltaOffset")}, count * {inputs});");
            writer.Line($"ref float transposedStart = ref {GetReference}(transposed);");
            writer.Line($"ref float inputDeltaStart = ref {GetReference}(inputDelta);");
            writer.Line($"// δ{n - 1} broadcasts δ{n} against whole rows of W{n}ᵀ.");
            WriteTranspose(writer, layer, ("firstInput", "endInput"), ("0", outputs));

            writer.Line();
            string derivative = DerivativeClause(previous);
            writer.Line($"// δ{n - 1}[s, i..] = Σ over outputs of δ[s, o]·W{n}ᵀ[o, i..]{derivative}.");
            var product = new BroadcastProduct
            {
                FirstColumn = "firstInput",
                Columns = "endInput",
                MostColumns = layer.Inputs,
                ColumnNoun = "inputs",
                Reduction = outputs,
                VectorStart = "transposedStart",
                VectorStride = inputs,
                ScalarStart = $"{UnsafeAdd}(ref deltaStart, s * {outputs})",
                ScalarRowDistance = outputs,
                StoreVector = (w, r, column, sum, vector) =>
                {
                    string index = $"(nuint)((s + {r}) * {inputs} + {column})";
                    if (previous.Activation == ActivationKind.Identity)
                    {
                        w.Line($"{vector.StoreUnsafe}({sum}, ref inputDeltaStart, {index});");
                        return;
                    }

                    using (w.Block())
                    {
                        w.Line($"var gradient = {sum};");
                        w.Line($"var activation = {vector.LoadUnsafe}(ref xStart, {index});");
                        w.Line($"{vector.StoreUnsafe}({ActivationCode.TimesDerivativeVector(previous.Activation, "gradient", "activation", vector)}, ref inputDeltaStart, {index});");
                    }
                },
                StoreScalar = (w, r, total) =>
                {
                    string index = $"(s + {r}) * {inputs} + o";
                    w.Line($"inputDelta[{index}] = {ActivationCode.TimesDerivative(previous.Activation, total, $"x[{index}]")};");
                },
                UseFusedMultiplyAdd = spec.UseFusedMultiplyAdd,
            };
            using (writer.Block())
            {
                writer.Line("int s = 0;");
                using (writer.Block($"for (; s + {SampleTile} <= count; s += {SampleTile})"))
                {
                    WriteBroadcastColumns(writer, product, SampleTile, BatchVectorTiles, splitChains: false, wideTilesFirst: true);
                }

                using (writer.Block("for (; s < count; s++)"))
                {
                    WriteBroadcastColumns(writer, product, 1, BatchVectorTiles, splitChains: false, wideTilesFirst: true);
                }
            }
        }

        /// <summary>", through layer k's f: f' = …" for a δ comment, or nothing for Identity.</summary>
        private static string DerivativeClause(LayerSpec previous) =>
            previous.Activation == ActivationKind.Identity
                ? ""
                : $", through layer {previous.Number}'s {previous.Activation}: f' = {ActivationCode.DescribeDerivative(previous.Activation, $"a{previous.Number}")}";

        private static void WriteDotSamples(IndentedWriter writer, DotProduct product, int columns)
        {
            writer.Line("int s = 0;");
            using (writer.Block($"for (; s + {SampleTile} <= count; s += {SampleTile})"))
            {
                WriteDotTile(writer, product, SampleTile, columns);
            }

            using (writer.Block("for (; s < count; s++)"))
            {
                WriteDotTile(writer, product, 1, columns);
            }
        }

    }
}
