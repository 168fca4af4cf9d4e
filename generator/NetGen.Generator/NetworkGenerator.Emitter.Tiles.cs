using System;
using System.Linq;
using NetGen.Generator.Helpers;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// The two register-tile shapes every Dense product is written as. Weights are input-major ([Inputs × Outputs]),
    /// so the forward pass and the weight gradients broadcast one scalar against contiguous rows of outputs
    /// (<see cref="BroadcastProduct"/>, no horizontal sums); only the backward δ of the previous layer is a dot product
    /// along a weight row (<see cref="DotProduct"/>). Vector widths are unknown at generation time, so tiles are counted
    /// in vectors and every column loop ends in a scalar tail.
    /// </summary>
    internal static partial class Emitter
    {
        /// <summary>
        /// The accumulators a tile may keep where the hardware has 16 vector registers (x64 without AVX-512): with a
        /// broadcast and its weight vectors beside them, more would spill to the stack in the inner loop.
        /// </summary>
        private const int AccumulatorsIn16Registers = 8;

        /// <summary>True, as a JIT-time constant, on hardware with 32 vector registers.</summary>
        private const string HasThirtyTwoVectorRegisters =
            "global::System.Runtime.Intrinsics.X86.Avx512F.IsSupported || global::System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported";

        /// <summary>result[r, o..] = initial(r, o..) + Σₖ scalar(r, k) · vectorRow(k)[o..], over the layer's outputs.</summary>
        private sealed class BroadcastProduct
        {
            /// <summary>The first column: 0, or the start of a column range that a split pass computes.</summary>
            public string FirstColumn = "0";

            /// <summary>The column after the last one: the column count, or the end of a column range.</summary>
            public string Columns = "";

            /// <summary>The most columns any call covers (the layer's size), which bounds the tiles worth writing.</summary>
            public int MostColumns;

            /// <summary>What the columns are, for comments: "outputs", or "inputs" for a backward δ.</summary>
            public string ColumnNoun = "outputs";

            /// <summary>The number of terms k runs over.</summary>
            public string Reduction = "";

            /// <summary>The reference the vector rows are read from.</summary>
            public string VectorStart = "";

            /// <summary>The distance in elements from vector row k to row k + 1.</summary>
            public string VectorStride = "";

            /// <summary>A ref expression for the broadcast scalar of tile row 0 at k = 0.</summary>
            public string ScalarStart = "";

            /// <summary>
            /// The distance in elements from tile row r's scalars to row r + 1's: a constant, so that every row is read
            /// through one reference plus a fixed displacement and the tile needs one address register, not one per row.
            /// </summary>
            public string ScalarRowDistance = "";

            /// <summary>The distance in elements from the scalar for k to the one for k + 1.</summary>
            public string ScalarStride = "1";

            /// <summary>The starting vector of tile row r at a column offset, in the tile's vector type; null starts from zero.</summary>
            public Func<int, string, TileVector, string>? InitialVector;

            /// <summary>The starting scalar of tile row r at column o.</summary>
            public Func<int, string> InitialScalar = _ => "0f";

            /// <summary>Writes the finished vector of tile row r: (writer, r, column offset, vector expression, its type).</summary>
            public Action<IndentedWriter, int, string, string, TileVector> StoreVector = (_, _, _, _, _) => { };

            /// <summary>Writes the finished scalar of tile row r at column o: (writer, r, total name).</summary>
            public Action<IndentedWriter, int, string> StoreScalar = (_, _, _) => { };

            public bool UseFusedMultiplyAdd;
        }

        /// <summary>result[r, c] = Σ over Length of leftRow(r) · rightRow(c), one vector accumulator per pair.</summary>
        private sealed class DotProduct
        {
            public string Length = "";

            /// <summary>A ref expression for the start of left row r.</summary>
            public Func<int, string> LeftRow = _ => "";

            /// <summary>A ref expression for the start of right row c.</summary>
            public Func<int, string> RightRow = _ => "";

            /// <summary>Writes the finished sum of tile position (r, c): (writer, r, c, total name).</summary>
            public Action<IndentedWriter, int, int, string> Store = (_, _, _, _) => { };

            public bool UseFusedMultiplyAdd;
        }

        /// <summary>
        /// Every column of <paramref name="rows"/> result rows: a loop of tiles <paramref name="vectorTiles"/>[0] vectors
        /// wide, then at most one tile of each smaller width, then single columns. With <paramref name="wideTilesFirst"/>
        /// the same tiles in <see cref="TileVector.Wide"/> come first, for hardware where they are accelerated and
        /// <c>Vector&lt;float&gt;</c> is narrower.
        /// </summary>
        private static void WriteBroadcastColumns(IndentedWriter writer, BroadcastProduct product, int rows, int[] vectorTiles, bool splitChains, bool wideTilesFirst)
        {
            writer.Line($"int o = {product.FirstColumn};");
            int[] wideTiles = wideTilesFirst ? TilesThatFit(vectorTiles, product, TileVector.Wide) : Array.Empty<int>();
            if (wideTiles.Length > 0)
            {
                writer.Line("// 16-lane tiles first where AVX-512 runs beside an 8-lane Vector<float>; elsewhere the JIT drops this block.");
                using (writer.Block($"if ({TileVector.Wide.Operations}.IsHardwareAccelerated && {VectorCount} < {TileVector.Wide.Count})"))
                {
                    WriteVectorTiles(writer, product, rows, wideTiles, splitChains, TileVector.Wide);
                }

                writer.Line();
            }

            int[] portableTiles = TilesThatFit(vectorTiles, product, TileVector.Portable);
            if (portableTiles.Length > 0)
            {
                WriteVectorTiles(writer, product, rows, portableTiles, splitChains, TileVector.Portable);
            }

            writer.Line($"// The {product.ColumnNoun} left over after whole vectors, one at a time.");
            using (writer.Block($"for (; o < {product.Columns}; o++)"))
            {
                WriteTileReferences(writer, product);
                for (int r = 0; r < rows; r++)
                {
                    writer.Line($"float total{r} = {product.InitialScalar(r)};");
                }

                if (rows == 1)
                {
                    WriteScalarChains(writer, product);
                }
                else
                {
                    using (writer.Block($"for (int k = 0; k < {product.Reduction}; k++)"))
                    {
                        writer.Line($"float v = {UnsafeAdd}(ref column, {Scaled("k", product.VectorStride)});");
                        for (int r = 0; r < rows; r++)
                        {
                            writer.Line($"total{r} += {ScalarAt(product, r, "k")} * v;");
                        }
                    }
                }

                writer.Line();
                for (int r = 0; r < rows; r++)
                {
                    product.StoreScalar(writer, r, $"total{r}");
                }
            }
        }

        /// <summary>
        /// Whole tiles from column o on: a loop of the widest, then at most one of each narrower width. A portable tile
        /// of more than <see cref="AccumulatorsIn16Registers"/> accumulators runs only where the hardware has 32 vector
        /// registers; elsewhere the widest tile that fits loops in its place.
        /// </summary>
        private static void WriteVectorTiles(IndentedWriter writer, BroadcastProduct product, int rows, int[] vectorTiles, bool splitChains, TileVector vector)
        {
            // Vector512 is accelerated only with AVX-512, which always has 32 registers.
            int fitting = vector == TileVector.Wide ? 0 : FirstTileIn16Registers(rows, vectorTiles, splitChains);
            if (fitting > 0)
            {
                writer.Line($"// Tiles of more than {AccumulatorsIn16Registers} accumulators need 32 vector registers (AVX-512, Arm64); AVX2's 16 would spill them.");
                using (writer.Block($"if ({HasThirtyTwoVectorRegisters})"))
                {
                    WriteTileCascade(writer, product, rows, vectorTiles, 0, fitting, splitChains, vector);
                }

                writer.Line();
            }

            WriteTileCascade(writer, product, rows, vectorTiles, fitting, vectorTiles.Length, splitChains, vector);
        }

        /// <summary>Tiles <paramref name="vectorTiles"/>[first..end): a loop of the first, then at most one of each of the others.</summary>
        private static void WriteTileCascade(IndentedWriter writer, BroadcastProduct product, int rows, int[] vectorTiles, int first, int end, bool splitChains, TileVector vector)
        {
            using (writer.Block($"for (; o + {Width(vectorTiles[first], vector)} <= {product.Columns}; o += {Width(vectorTiles[first], vector)})"))
            {
                WriteBroadcastTile(writer, product, rows, vectorTiles[first], splitChains, vector);
            }

            writer.Line();
            for (int t = first + 1; t < end; t++)
            {
                using (writer.Block($"if (o + {Width(vectorTiles[t], vector)} <= {product.Columns})"))
                {
                    WriteBroadcastTile(writer, product, rows, vectorTiles[t], splitChains, vector);
                    writer.Line($"o += {Width(vectorTiles[t], vector)};");
                }

                writer.Line();
            }
        }

        /// <summary>
        /// The tiles that can run at all: those no wider than the layer at the fewest lanes the vector type can have. A
        /// 32-output layer never fills a 16-vector tile, whatever the width of Vector&lt;float&gt;.
        /// </summary>
        private static int[] TilesThatFit(int[] vectorTiles, BroadcastProduct product, TileVector vector)
        {
            if (product.MostColumns <= 0)
            {
                throw new InvalidOperationException("A broadcast product needs MostColumns, the layer size its columns run over.");
            }

            return vectorTiles.Where(vectors => vectors * vector.FewestLanes <= product.MostColumns).ToArray();
        }

        /// <summary>The index of the first of <paramref name="vectorTiles"/> whose accumulators fit 16 vector registers.</summary>
        private static int FirstTileIn16Registers(int rows, int[] vectorTiles, bool splitChains)
        {
            int t = 0;
            while (t < vectorTiles.Length - 1 && rows * vectorTiles[t] * (UsesTwoChains(vectorTiles[t], splitChains) ? 2 : 1) > AccumulatorsIn16Registers)
            {
                t++;
            }

            return t;
        }

        /// <summary>
        /// One rows × vectors tile. With <paramref name="splitChains"/>, narrow tiles keep a second set of accumulators
        /// for odd k, so that the multiply-add latency of one long chain does not bound a single sample.
        /// </summary>
        private static void WriteBroadcastTile(IndentedWriter writer, BroadcastProduct product, int rows, int vectors, bool splitChains, TileVector vector)
        {
            bool twoChains = UsesTwoChains(vectors, splitChains);
            WriteTileReferences(writer, product);
            for (int r = 0; r < rows; r++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    string initial = product.InitialVector?.Invoke(r, ColumnOffset(v, vector), vector) ?? vector.Zero;
                    writer.Line($"var sum{r}{v} = {initial};");
                    if (twoChains)
                    {
                        writer.Line($"var odd{r}{v} = {vector.Zero};");
                    }
                }
            }

            // Native-sized offsets that advance by their strides: every load is one base register plus an index and a
            // constant, with no sign extension or multiply per load.
            writer.Line("nint rowOffset = 0, scalarOffset = 0;");
            if (twoChains)
            {
                writer.Line("// Even and odd k in separate accumulators: two independent multiply-add chains per vector.");
                writer.Line("int k = 0;");
                using (writer.Block($"for (; k + 2 <= {product.Reduction}; k += 2)"))
                {
                    WriteBroadcastStep(writer, product, rows, vectors, "rowOffset", "scalarOffset", "", "sum", vector);
                    WriteBroadcastStep(writer, product, rows, vectors, $"rowOffset + {product.VectorStride}", $"scalarOffset + {product.ScalarStride}", "Odd", "odd", vector);
                    WriteAdvance(writer, product, "2 * ");
                }

                writer.Line();
                using (writer.Block($"if (k < {product.Reduction})"))
                {
                    WriteBroadcastStep(writer, product, rows, vectors, "rowOffset", "scalarOffset", "", "sum", vector);
                }
            }
            else
            {
                using (writer.Block($"for (int k = 0; k < {product.Reduction}; k++)"))
                {
                    WriteBroadcastStep(writer, product, rows, vectors, "rowOffset", "scalarOffset", "", "sum", vector);
                    WriteAdvance(writer, product, "");
                }
            }

            writer.Line();
            for (int r = 0; r < rows; r++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    string sum = twoChains ? $"sum{r}{v} + odd{r}{v}" : $"sum{r}{v}";
                    product.StoreVector(writer, r, ColumnOffset(v, vector), sum, vector);
                }
            }
        }

        /// <summary>One leftover output of one row as four interleaved partial sums, so that four adds are in flight.</summary>
        private static void WriteScalarChains(IndentedWriter writer, BroadcastProduct product)
        {
            writer.Line("float total1 = 0f, total2 = 0f, total3 = 0f;");
            writer.Line("int k = 0;");
            using (writer.Block($"for (; k + 4 <= {product.Reduction}; k += 4)"))
            {
                string[] ks = { "k", "k + 1", "k + 2", "k + 3" };
                for (int c = 0; c < 4; c++)
                {
                    writer.Line($"total{c} += {ScalarAt(product, 0, ks[c])} * {UnsafeAdd}(ref column, {Scaled(ks[c], product.VectorStride)});");
                }
            }

            writer.Line();
            using (writer.Block($"for (; k < {product.Reduction}; k++)"))
            {
                writer.Line($"total0 += {ScalarAt(product, 0, "k")} * {UnsafeAdd}(ref column, {Scaled("k", product.VectorStride)});");
            }

            writer.Line();
            writer.Line("total0 += total1 + total2 + total3;");
        }

        /// <summary>The references a tile's loop indexes from: its first vector column and its first row's first scalar.</summary>
        private static void WriteTileReferences(IndentedWriter writer, BroadcastProduct product)
        {
            writer.Line($"ref float column = ref {UnsafeAdd}(ref {product.VectorStart}, o);");
            writer.Line($"ref float scalars = ref {product.ScalarStart};");
        }

        /// <summary>
        /// One k of a tile: the vectors at <paramref name="rowOffset"/> from the column, the scalars at
        /// <paramref name="scalarOffset"/> (plus a constant per row), multiplied into the accumulators.
        /// </summary>
        private static void WriteBroadcastStep(IndentedWriter writer, BroadcastProduct product, int rows, int vectors, string rowOffset, string scalarOffset, string suffix, string accumulator, TileVector vector)
        {
            for (int v = 0; v < vectors; v++)
            {
                string offset = v == 0 ? rowOffset : v == 1 ? $"{rowOffset} + {vector.Count}" : $"{rowOffset} + {v} * {vector.Count}";
                writer.Line($"var v{v}{suffix} = {vector.LoadUnsafe}(ref column, (nuint){(offset.Contains(" ") ? $"({offset})" : offset)});");
            }

            for (int r = 0; r < rows; r++)
            {
                string offset = r switch
                {
                    0 => scalarOffset,
                    1 => $"{scalarOffset} + {product.ScalarRowDistance}",
                    _ => $"{scalarOffset} + {r} * {product.ScalarRowDistance}",
                };
                writer.Line($"var d{r}{suffix} = {vector.Broadcast($"{UnsafeAdd}(ref scalars, {offset})")};");
            }

            for (int r = 0; r < rows; r++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    writer.Line(vector.MultiplyAdd(product.UseFusedMultiplyAdd, $"{accumulator}{r}{v}", $"d{r}{suffix}", $"v{v}{suffix}"));
                }
            }
        }

        /// <summary>Moves both offsets on by <paramref name="times"/> ("" or "2 * ") strides.</summary>
        private static void WriteAdvance(IndentedWriter writer, BroadcastProduct product, string times)
        {
            writer.Line($"rowOffset += {times}{product.VectorStride};");
            writer.Line($"scalarOffset += {times}{product.ScalarStride};");
        }

        private static string ScalarAt(BroadcastProduct product, int row, string k)
        {
            string offset = Scaled(k, product.ScalarStride);
            string rowOffset = row switch
            {
                0 => "",
                1 => $" + {product.ScalarRowDistance}",
                _ => $" + {row} * {product.ScalarRowDistance}",
            };
            return $"{UnsafeAdd}(ref scalars, {offset}{rowOffset})";
        }

        /// <summary>k·stride, written as just k for a unit stride.</summary>
        private static string Scaled(string k, string stride) =>
            stride == "1" ? k : $"{(k.Contains(" ") ? $"({k})" : k)} * {stride}";

        /// <summary>rows × columns dot products of length Length, one vector accumulator each, then the scalar tail.</summary>
        private static void WriteDotTile(IndentedWriter writer, DotProduct product, int rows, int columns)
        {
            // A reference per row, so that every load in the loop is one base register plus the shared index.
            for (int r = 0; r < rows; r++)
            {
                writer.Line($"ref float left{r} = ref {product.LeftRow(r)};");
            }

            for (int c = 0; c < columns; c++)
            {
                writer.Line($"ref float right{c} = ref {product.RightRow(c)};");
            }

            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    writer.Line($"var sum{r}{c} = global::System.Numerics.Vector<float>.Zero;");
                }
            }

            writer.Line("int j = 0;");
            using (writer.Block($"for (; j <= {product.Length} - {VectorCount}; j += {VectorCount})"))
            {
                for (int r = 0; r < rows; r++)
                {
                    writer.Line($"var l{r} = {LoadUnsafe}(ref left{r}, (nuint)j);");
                }

                for (int c = 0; c < columns; c++)
                {
                    writer.Line($"var r{c} = {LoadUnsafe}(ref right{c}, (nuint)j);");
                }

                for (int r = 0; r < rows; r++)
                {
                    for (int c = 0; c < columns; c++)
                    {
                        writer.Line(TileVector.Portable.MultiplyAdd(product.UseFusedMultiplyAdd, $"sum{r}{c}", $"l{r}", $"r{c}"));
                    }
                }
            }

            writer.Line();
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    writer.Line($"float total{r}{c} = global::System.Numerics.Vector.Sum(sum{r}{c});");
                }
            }

            using (writer.Block($"for (; j < {product.Length}; j++)"))
            {
                for (int r = 0; r < rows; r++)
                {
                    for (int c = 0; c < columns; c++)
                    {
                        writer.Line($"total{r}{c} += {UnsafeAdd}(ref left{r}, j) * {UnsafeAdd}(ref right{c}, j);");
                    }
                }
            }

            writer.Line();
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    product.Store(writer, r, c, $"total{r}{c}");
                }
            }
        }

        private static bool UsesTwoChains(int vectors, bool splitChains) => splitChains && vectors <= 4;

        private static string Width(int vectors, TileVector vector) => vectors == 1 ? vector.Count : $"{vectors} * {vector.Count}";

        private static string ColumnOffset(int index, TileVector vector) => index == 0 ? "o" : $"o + {index} * {vector.Count}";

        /// <summary>A (nuint) element offset; a bare name needs no parentheses.</summary>
        private static string Offset(string expression) => expression.Contains(" ") ? $"(nuint)({expression})" : $"(nuint){expression}";
    }
}
