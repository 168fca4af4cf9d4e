using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;

namespace NetGen.Generator.Tests;

/// <summary>The one thing wrong with a random declaration, and the diagnostic it must produce.</summary>
internal enum Defect
{
    None,
    NotPartial,
    ContainerNotPartial,
    Generic,
    NoInput,
    DuplicateInput,
    InputNotFirst,
    NoDense,
    NonPositiveSize,
    TooLarge,
    SoftmaxOnHiddenLayer,
    SoftmaxWithoutCrossEntropy,
    CrossEntropyWithoutSoftmax,
    BinaryCrossEntropyWithoutSigmoid,
    UndefinedActivation,
    UndefinedLoss,
    LayersOnTwoDeclarations,
    MemberClash,
    NegativeThreshold,

    /// <summary>A user method named like a generated one but with other parameters: an overload, not a clash.</summary>
    OverloadOfGeneratedMethod,

    /// <summary>The network declared as a <c>partial record</c>, which must be generated like a class.</summary>
    RecordClass,

    /// <summary>The network declared as a <c>partial struct</c>, which must be refused, never ignored.</summary>
    Struct,

    /// <summary>A convolution kernel or pooling window larger than the (padded) image it reads.</summary>
    WindowTooLarge,

    /// <summary>A window that fits, with a stride (written, or a pool's default) that leaves part of the image unread.</summary>
    WindowsDoNotFit,

    /// <summary>A dropout rate of 1 or more, or below 0.</summary>
    DropoutRateOutOfRange,

    /// <summary>A convolution or pool after the values are flat: a vector input, a Dense layer or [Flatten].</summary>
    SpatialAfterFlat,

    /// <summary>A layer of another kind after the output Dense layer.</summary>
    OutputNotDense,

    /// <summary>A convolution with a negative Padding.</summary>
    NegativePadding,

    /// <summary>A convolution kernel of 0 or less.</summary>
    NonPositiveKernel,

    /// <summary>A written Stride of 0 or less on a convolution or pool.</summary>
    NonPositiveStride,

    /// <summary>Softmax on a convolution, which is never the last layer.</summary>
    SoftmaxOnConv,
}

/// <summary>
/// A random network declaration: a valid architecture, then at most one defect. Rendering it gives C# source whose
/// expected outcome is known without running the generator: no diagnostic, or exactly <see cref="ExpectedId"/>.
/// <see cref="Input"/> holds one size for a vector input, or channels, height and width for an image.
/// </summary>
internal sealed record RandomDeclaration(int Loss, int[] Input, RandomLayer[] Layers, int Threshold, Defect Defect, int Pick)
{
    private static readonly string[] LossNames = Enum.GetNames<Loss>();

    private const int ReLU = (int)Activation.ReLU;
    private const int Softmax = (int)Activation.Softmax;

    private static readonly Gen<int> Thresholds = Gen.Int[0, 3].Select(i => new[] { 0, 8, 64, 100_000 }[i]);

    /// <summary>Valid rates, as float, double and integer literals; 0 is a valid rate too.</summary>
    private static readonly Gen<string> Rates = Gen.OneOf("0", "0.25", "0.5f", "0.1", "0.999", "0.75d", "0f");

    /// <summary>0–2 dropout layers, each before a layer picked at random (so never after the output layer).</summary>
    private static readonly Gen<(int Pick, string Rate)[]> Dropouts = Gen.Select(Gen.Int[0, 1_000], Rates).Array[0, 2];

    /// <summary>
    /// What one convolution or pooling layer will be, before the shape it reads is known: the kind (0 convolution,
    /// 1 max, 2 average pooling), filters, activation, stride and padding wished for, whether to write the named
    /// arguments even at their defaults, and a pick among the kernels that fit.
    /// </summary>
    private sealed record SpatialChoice(int Kind, int Filters, int Activation, int Stride, int Padding, bool WriteDefaults, bool PaddingFirst, int Pick);

    private static readonly Gen<SpatialChoice> SpatialChoices =
        Gen.Select(Gen.Int[0, 2], Gen.Int[1, 4], Gen.Int[0, 4], Gen.Int[1, 3], Gen.Int[0, 2], Gen.Bool, Gen.Bool, Gen.Int[0, 1_000],
            (kind, filters, activation, stride, padding, writeDefaults, paddingFirst, pick) =>
                new SpatialChoice(kind, filters, activation, stride, padding, writeDefaults, paddingFirst, pick));

    /// <summary>A valid multilayer perceptron: a vector input, 0–3 hidden layers, an output layer the loss accepts, maybe dropout.</summary>
    public static readonly Gen<RandomDeclaration> Mlp =
        from loss in Gen.Int[0, 2]
        from inputSize in Gen.Int[1, 40]
        from hidden in Gen.Select(Gen.Int[1, 40], Gen.Int[0, 4]).Array[0, 3]
        from outputSize in Gen.Int[1, 12]
        from mseOutput in Gen.Int[0, 4]
        from threshold in Thresholds
        from dropouts in Dropouts
        let dense = hidden.Select(h => RandomLayer.Dense(h.Item1, h.Item2)).Append(RandomLayer.Dense(outputSize, OutputActivation(loss, mseOutput)))
        select new RandomDeclaration(loss, [inputSize], WithDropouts(dense, dropouts), threshold, Defect.None, 0);

    /// <summary>
    /// A valid convolutional network: an image of 1–3 channels and sides 1–12, 0–3 convolutions and pools whose
    /// windows fit the shapes they read exactly, maybe [Flatten], 0–2 hidden Dense layers, the output layer, maybe
    /// dropout anywhere before it. Filters and Dense sizes stay small: 200 of these are compiled in one test.
    /// </summary>
    public static readonly Gen<RandomDeclaration> Cnn =
        from loss in Gen.Int[0, 2]
        from input in Gen.Select(Gen.Int[1, 3], Gen.Int[1, 12], Gen.Int[1, 12])
        from spatial in SpatialChoices.Array[0, 3]
        from flatten in Gen.Bool
        from hidden in Gen.Select(Gen.Int[1, 8], Gen.Int[0, 4]).Array[0, 2]
        from outputSize in Gen.Int[1, 6]
        from mseOutput in Gen.Int[0, 4]
        from threshold in Thresholds
        from dropouts in Dropouts
        let layers = SpatialLayers(input, spatial)
            .Concat(flatten ? new[] { RandomLayer.Flatten } : Array.Empty<RandomLayer>())
            .Concat(hidden.Select(h => RandomLayer.Dense(h.Item1, h.Item2)))
            .Append(RandomLayer.Dense(outputSize, OutputActivation(loss, mseOutput)))
        select new RandomDeclaration(loss, [input.Item1, input.Item2, input.Item3], WithDropouts(layers, dropouts), threshold, Defect.None, 0);

    /// <summary>A valid architecture: a perceptron or a convolutional network, about as often.</summary>
    public static readonly Gen<RandomDeclaration> Valid = Gen.OneOf(Mlp, Cnn);

    /// <summary>Any declaration: valid, or with one defect applied (to a convolutional network where the defect needs one).</summary>
    public static readonly Gen<RandomDeclaration> Any =
        from defect in Gen.Enum<Defect>()
        from valid in NeedsImage(defect) ? Cnn : Valid
        from pick in Gen.Int[0, 1_000]
        select (valid with { Defect = defect, Pick = pick }).WithDefectApplied();

    public bool IsImage => Input.Length == 3;

    public string? ExpectedId => Defect switch
    {
        Defect.None => null,
        Defect.NotPartial => "NG0001",
        Defect.ContainerNotPartial => "NG0002",
        Defect.Generic => "NG0003",
        Defect.NoInput => "NG0004",
        Defect.DuplicateInput => "NG0005",
        Defect.InputNotFirst => "NG0006",
        Defect.NoDense => "NG0007",
        Defect.NonPositiveSize or Defect.NonPositiveKernel or Defect.NonPositiveStride => "NG0008",
        Defect.TooLarge => "NG0009",
        Defect.SoftmaxOnHiddenLayer or Defect.SoftmaxOnConv => "NG0010",
        Defect.SoftmaxWithoutCrossEntropy => "NG0011",
        Defect.CrossEntropyWithoutSoftmax => "NG0012",
        Defect.BinaryCrossEntropyWithoutSigmoid => "NG0013",
        Defect.UndefinedActivation or Defect.UndefinedLoss => "NG0014",
        Defect.LayersOnTwoDeclarations => "NG0015",
        Defect.MemberClash => "NG0016",
        Defect.NegativeThreshold => "NG0018",
        Defect.OverloadOfGeneratedMethod or Defect.RecordClass => null,
        Defect.Struct => "NG0019",
        Defect.WindowTooLarge => "NG0020",
        Defect.WindowsDoNotFit => "NG0021",
        Defect.DropoutRateOutOfRange => "NG0022",
        Defect.SpatialAfterFlat => "NG0023",
        Defect.OutputNotDense => "NG0024",
        Defect.NegativePadding => "NG0025",
        _ => throw new ArgumentOutOfRangeException(nameof(Defect)),
    };

    /// <summary>The declaration as C#, the network class named <paramref name="name"/>.</summary>
    public string Render(string name)
    {
        var attributes = new List<string>();
        string lossText = Loss is >= 0 and <= 2 ? "Loss." + LossNames[Loss] : $"(Loss){Loss}";
        attributes.Add($"[Network({lossText}, UnrollThreshold = {Threshold})]");
        var layers = Layers.Select(layer => layer.Render()).ToList();
        string input = $"[Input({string.Join(", ", Input)})]";
        var ownLayers = new List<string>();
        if (Defect != Defect.NoInput)
        {
            ownLayers.Add(input);
        }

        if (Defect == Defect.DuplicateInput)
        {
            ownLayers.Add(input);
        }

        ownLayers.AddRange(layers);
        if (Defect == Defect.InputNotFirst)
        {
            ownLayers.RemoveAt(0);
            ownLayers.Insert(1, input);
        }

        var secondLayers = new List<string>();
        if (Defect == Defect.LayersOnTwoDeclarations)
        {
            secondLayers.AddRange(ownLayers.Skip(1));
            ownLayers.RemoveRange(1, ownLayers.Count - 1);
        }

        var source = new StringBuilder("using NetGen;\n");
        bool nested = Defect == Defect.ContainerNotPartial;
        if (nested)
        {
            source.Append($"public class Outer{name}\n{{\n");
        }

        source.AppendLine(string.Join(" ", attributes.Concat(ownLayers)));
        string partial = Defect == Defect.NotPartial ? "" : "partial ";
        string generic = Defect == Defect.Generic ? "<T>" : "";
        string member = Defect switch
        {
            // Same parameter types as the generated Forward, another return type: CS0111 if it were generated.
            Defect.MemberClash => " public int Forward(System.ReadOnlySpan<float> input, System.Span<float> output) => 0; ",
            Defect.OverloadOfGeneratedMethod => " public float[] Forward(float[] input) => input; ",
            _ => " ",
        };
        string keyword = Defect switch { Defect.RecordClass => "record", Defect.Struct => "struct", _ => "class" };
        source.AppendLine($"public {partial}{keyword} {name}{generic} {{{member}}}");
        if (secondLayers.Count > 0)
        {
            source.AppendLine(string.Join(" ", secondLayers));
            source.AppendLine($"public partial class {name} {{ }}");
        }

        if (nested)
        {
            source.Append("}\n");
        }

        return source.ToString();
    }

    private static bool NeedsImage(Defect defect) =>
        defect is Defect.WindowTooLarge or Defect.WindowsDoNotFit or Defect.NegativePadding or Defect.NonPositiveKernel or Defect.NonPositiveStride or Defect.SoftmaxOnConv;

    private static int OutputActivation(int loss, int mseOutput) =>
        loss switch { 0 => mseOutput, 1 => (int)Activation.Sigmoid, _ => Softmax };

    /// <summary>Each dropout goes before the layer its pick names, so the output layer stays last.</summary>
    private static RandomLayer[] WithDropouts(IEnumerable<RandomLayer> layers, (int Pick, string Rate)[] dropouts)
    {
        var list = layers.ToList();
        foreach ((int pick, string rate) in dropouts)
        {
            list.Insert(pick % list.Count, RandomLayer.Dropout(rate));
        }

        return list.ToArray();
    }

    /// <summary>The convolutions and pools, each built for the shape the previous one writes so that its windows fit exactly.</summary>
    private static IEnumerable<RandomLayer> SpatialLayers((int, int, int) input, SpatialChoice[] choices)
    {
        var shape = input;
        foreach (SpatialChoice choice in choices)
        {
            RandomLayer layer = SpatialLayer(choice, shape.Item2, shape.Item3);
            shape = layer.Apply(shape);
            yield return layer;
        }
    }

    private static RandomLayer SpatialLayer(SpatialChoice choice, int height, int width)
    {
        if (choice.Kind == 0)
        {
            // Stride and padding first, then a kernel of at most 5 that they fit; stride 1 fits any kernel up to the padded side.
            int padding = choice.Padding, stride = choice.Stride;
            int[] kernels = Windows(height + 2 * padding, width + 2 * padding, stride, 5);
            if (kernels.Length == 0)
            {
                stride = 1;
                kernels = Windows(height + 2 * padding, width + 2 * padding, stride, 5);
            }

            return new RandomLayer(
                LayerAttribute.Conv2D, choice.Filters, choice.Activation, kernels[choice.Pick % kernels.Length],
                Stride: stride != 1 || choice.WriteDefaults ? stride : null,
                Padding: padding != 0 || choice.WriteDefaults ? padding : null,
                PaddingFirst: choice.PaddingFirst);
        }

        var kind = choice.Kind == 1 ? LayerAttribute.MaxPool2D : LayerAttribute.AvgPool2D;
        if (choice.WriteDefaults)
        {
            int stride = choice.Stride;
            int[] windows = Windows(height, width, stride, 3);
            if (windows.Length == 0)
            {
                stride = 1;
                windows = Windows(height, width, stride, 3);
            }

            return new RandomLayer(kind, windows[choice.Pick % windows.Length], Stride: stride);
        }

        // The stride defaults to the window: windows that tile both sides (1 always does).
        int[] tiling = Enumerable.Range(1, 3).Where(window => RandomLayer.Fits(height, width, window, window)).ToArray();
        return new RandomLayer(kind, tiling[choice.Pick % tiling.Length]);
    }

    /// <summary>The windows of 1 to <paramref name="largest"/> that a stride of <paramref name="stride"/> moves across the sides exactly.</summary>
    private static int[] Windows(int height, int width, int stride, int largest) =>
        Enumerable.Range(1, largest).Where(window => RandomLayer.Fits(height, width, window, stride)).ToArray();

    /// <summary>The image the layer at <paramref name="index"/> reads, for an index no later than the first Dense or [Flatten].</summary>
    private (int Channels, int Height, int Width) ShapeBefore(int index) =>
        Layers.Take(index).Aggregate((Input[0], Input[1], Input[2]), (shape, layer) => layer.Apply(shape));

    /// <summary>The index of the first Dense or [Flatten]: the layer that ends the image.</summary>
    private int FirstFlat => Array.FindIndex(Layers, layer => layer.Kind is LayerAttribute.Dense or LayerAttribute.Flatten);

    /// <summary>Where a layer can be inserted and read an image: before any layer up to the first that flattens.</summary>
    private int[] ImagePositions => IsImage ? Enumerable.Range(0, FirstFlat + 1).ToArray() : [];

    private int[] IndicesOf(Func<RandomLayer, bool> predicate) =>
        Enumerable.Range(0, Layers.Length).Where(i => predicate(Layers[i])).ToArray();

    private RandomDeclaration Insert(int index, RandomLayer layer) =>
        this with { Layers = [.. Layers.Take(index), layer, .. Layers.Skip(index)] };

    private RandomDeclaration Replace(int index, RandomLayer layer) =>
        this with { Layers = [.. Layers.Take(index), layer, .. Layers.Skip(index + 1)] };

    /// <summary>
    /// Changes one of the layers <paramref name="candidates"/> selects (half the time, when there is one), or else
    /// inserts <paramref name="fresh"/> where it reads an image, with <paramref name="change"/> applied. A fresh layer
    /// has a 1 × 1 window, which fits every image, so the change is its only fault.
    /// </summary>
    private RandomDeclaration ChangeSpatialLayer(Func<RandomLayer, bool> candidates, RandomLayer fresh, Func<RandomLayer, RandomLayer> change)
    {
        int[] existing = IndicesOf(candidates);
        if (existing.Length > 0 && Pick % 2 == 0)
        {
            int index = existing[Pick / 2 % existing.Length];
            return Replace(index, change(Layers[index]));
        }

        int[] positions = ImagePositions;
        return Insert(positions[Pick % positions.Length], change(fresh));
    }

    private RandomDeclaration WithDefectApplied()
    {
        var layers = Layers.ToArray();
        int last = layers.Length - 1;
        var freshConv = new RandomLayer(LayerAttribute.Conv2D, 2, ReLU, Kernel: 1);
        switch (Defect)
        {
            case Defect.NoDense:
                return this with { Layers = layers.Where(layer => layer.Kind != LayerAttribute.Dense).ToArray() };
            case Defect.NonPositiveSize:
            {
                // A Dense size, a filter count, a pooling window or an input dimension; sizes are the slots ≥ 0, inputs the ones below.
                int[] slots = [.. IndicesOf(layer => layer.Kind != LayerAttribute.Flatten && layer.Kind != LayerAttribute.Dropout), .. Enumerable.Range(1, Input.Length).Select(i => -i)];
                int slot = slots[Pick % slots.Length];
                int value = -(Pick % 3);
                if (slot < 0)
                {
                    int[] input = Input.ToArray();
                    input[-slot - 1] = value;
                    return this with { Input = input };
                }

                return Replace(slot, layers[slot] with { Size = value });
            }

            case Defect.TooLarge when IsImage:
                // The input alone is over 2^28 values; nothing after it is looked at.
                return this with { Input = [Input[0], 20_000, 20_000] };
            case Defect.TooLarge:
            {
                int first = Array.FindIndex(layers, layer => layer.Kind == LayerAttribute.Dense);
                return Replace(first, layers[first] with { Size = 3_000 }) with { Input = [100_000] };
            }

            case Defect.SoftmaxOnHiddenLayer:
            {
                int[] hidden = IndicesOf(layer => layer.Kind == LayerAttribute.Dense).Where(i => i != last).ToArray();
                return hidden.Length == 0
                    ? Insert(last, RandomLayer.Dense(5, Softmax))
                    : Replace(hidden[Pick % hidden.Length], layers[hidden[Pick % hidden.Length]] with { Activation = Softmax });
            }

            case Defect.SoftmaxWithoutCrossEntropy:
                return Replace(last, layers[last] with { Activation = Softmax }) with { Loss = Pick % 2 };
            case Defect.CrossEntropyWithoutSoftmax:
                return Replace(last, layers[last] with { Activation = Pick % 5 }) with { Loss = (int)NetGen.Loss.CrossEntropy };
            case Defect.BinaryCrossEntropyWithoutSigmoid:
                return Replace(last, layers[last] with { Activation = new[] { 0, 2, 3, 4 }[Pick % 4] }) with { Loss = (int)NetGen.Loss.BinaryCrossEntropy };
            case Defect.UndefinedActivation:
            {
                int[] withActivation = IndicesOf(layer => layer.HasActivation);
                int index = withActivation[Pick % withActivation.Length];
                return Replace(index, layers[index] with { Activation = 6 + Pick });
            }

            case Defect.UndefinedLoss:
                return this with { Loss = 3 + Pick };
            case Defect.NegativeThreshold:
                return this with { Threshold = -1 - Pick };
            case Defect.WindowTooLarge:
            {
                int index = ImagePositions[Pick % ImagePositions.Length];
                var (_, height, width) = ShapeBefore(index);
                int excess = 1 + Pick / 2 % 3;
                if (Pick % 2 == 0)
                {
                    int window = Math.Min(height, width) + excess;
                    return Insert(index, new RandomLayer(LayerAttribute.MaxPool2D + Pick / 8 % 2, window, Stride: Pick % 4 == 0 ? null : 1));
                }

                int padding = Pick / 8 % 2;
                return Insert(index, freshConv with { Kernel = Math.Min(height, width) + 2 * padding + excess, Padding = padding });
            }

            case Defect.WindowsDoNotFit:
            {
                int index = ImagePositions[Pick % ImagePositions.Length];
                var (_, height, width) = ShapeBefore(index);
                var misfits = new List<RandomLayer>();
                for (int window = 1; window <= Math.Min(height, width); window++)
                {
                    foreach (int? stride in new int?[] { null, 2, 3 })
                    {
                        if (!RandomLayer.Fits(height, width, window, stride ?? window))
                        {
                            misfits.Add(new RandomLayer(LayerAttribute.MaxPool2D + Pick / 2 % 2, window, Stride: stride));
                        }
                    }
                }

                // Convolutions with a written stride of 2 or 3: with padding 1 there is always one (kernel 1 or 2 at stride 2).
                for (int padding = 0; padding <= 2; padding++)
                {
                    for (int kernel = 1; kernel <= Math.Min(height, width) + 2 * padding; kernel++)
                    {
                        foreach (int stride in new[] { 2, 3 })
                        {
                            if (!RandomLayer.Fits(height + 2 * padding, width + 2 * padding, kernel, stride))
                            {
                                misfits.Add(freshConv with { Kernel = kernel, Stride = stride, Padding = padding });
                            }
                        }
                    }
                }

                return Insert(index, misfits[Pick % misfits.Count]);
            }

            case Defect.DropoutRateOutOfRange:
            {
                // "0.99999999" is below 1 as a double but rounds to 1f, the rate the attribute stores.
                string rate = new[] { "1", "1.0", "1f", "1.5", "-0.25", "-1e-7f", "2d", "100", "0.99999999", "1e30" }[Pick % 10];
                int[] dropouts = IndicesOf(layer => layer.Kind == LayerAttribute.Dropout);
                return dropouts.Length > 0 && Pick % 3 == 0
                    ? Replace(dropouts[0], RandomLayer.Dropout(rate))
                    : Insert(Pick % Layers.Length, RandomLayer.Dropout(rate));
            }

            case Defect.SpatialAfterFlat:
            {
                // After the first layer that flattens and before the output layer; with only the output layer to flatten, a [Flatten] first.
                var declaration = this;
                int first = IsImage ? FirstFlat + 1 : 0;
                if (first > last)
                {
                    declaration = Insert(last, RandomLayer.Flatten);
                    first = last + 1;
                    last++;
                }

                RandomLayer spatial = new[]
                {
                    freshConv,
                    new RandomLayer(LayerAttribute.MaxPool2D, 1),
                    new RandomLayer(LayerAttribute.AvgPool2D, 2, Stride: 1),
                    freshConv with { Kernel = 3, Padding = 1 },
                }[Pick % 4];
                return declaration.Insert(first + Pick / 4 % (last - first + 1), spatial);
            }

            case Defect.OutputNotDense:
            {
                // A Softmax output would also become a hidden layer's Softmax (NG0010): make the output one the loss takes otherwise.
                var declaration = layers[last].Activation == Softmax
                    ? Replace(last, layers[last] with { Activation = Pick % 5 }) with { Loss = (int)NetGen.Loss.MeanSquaredError }
                    : this;
                RandomLayer after = new[]
                {
                    RandomLayer.Dropout("0.5"),
                    RandomLayer.Flatten,
                    // The last layer may have Softmax as far as NG0010 goes; NG0024 is its fault.
                    freshConv with { Activation = Pick / 4 % 6 },
                    new RandomLayer(LayerAttribute.AvgPool2D, 1),
                }[Pick % 4];
                return declaration.Insert(last + 1, after);
            }

            case Defect.NegativePadding:
                return ChangeSpatialLayer(layer => layer.Kind == LayerAttribute.Conv2D, freshConv, layer => layer with { Padding = -1 - Pick / 4 % 3 });
            case Defect.NonPositiveKernel:
                return ChangeSpatialLayer(layer => layer.Kind == LayerAttribute.Conv2D, freshConv, layer => layer with { Kernel = -(Pick / 4 % 3) });
            case Defect.NonPositiveStride:
                return ChangeSpatialLayer(
                    layer => layer.IsSpatial, Pick % 4 < 2 ? freshConv : new RandomLayer(LayerAttribute.AvgPool2D, 1), layer => layer with { Stride = -(Pick / 4 % 3) });
            case Defect.SoftmaxOnConv:
                return ChangeSpatialLayer(layer => layer.Kind == LayerAttribute.Conv2D, freshConv, layer => layer with { Activation = Softmax });
            default:
                return this;
        }
    }
}
