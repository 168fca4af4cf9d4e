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
}

/// <summary>
/// A random network declaration: a valid architecture, then at most one defect. Rendering it gives C# source whose
/// expected outcome is known without running the generator: no diagnostic, or exactly <see cref="ExpectedId"/>.
/// </summary>
internal sealed record RandomDeclaration(int Loss, int InputSize, (int Size, int Activation)[] Layers, int Threshold, Defect Defect, int Pick)
{
    private static readonly string[] ActivationNames = Enum.GetNames<Activation>();
    private static readonly string[] LossNames = Enum.GetNames<Loss>();

    /// <summary>A valid architecture: 0–3 hidden layers, and an output layer the loss accepts.</summary>
    public static readonly Gen<RandomDeclaration> Valid =
        from loss in Gen.Int[0, 2]
        from inputSize in Gen.Int[1, 40]
        from hidden in Gen.Select(Gen.Int[1, 40], Gen.Int[0, 4]).Array[0, 3]
        from outputSize in Gen.Int[1, 12]
        from mseOutput in Gen.Int[0, 4]
        from threshold in Gen.Int[0, 3].Select(i => new[] { 0, 8, 64, 100_000 }[i])
        let output = loss switch { 0 => mseOutput, 1 => (int)Activation.Sigmoid, _ => (int)Activation.Softmax }
        select new RandomDeclaration(loss, inputSize, [.. hidden, (outputSize, output)], threshold, Defect.None, 0);

    /// <summary>Any declaration: valid, or with one defect applied.</summary>
    public static readonly Gen<RandomDeclaration> Any =
        from valid in Valid
        from defect in Gen.Enum<Defect>()
        from pick in Gen.Int[0, 1_000]
        select (valid with { Defect = defect, Pick = pick }).WithDefectApplied();

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
        Defect.NonPositiveSize => "NG0008",
        Defect.TooLarge => "NG0009",
        Defect.SoftmaxOnHiddenLayer => "NG0010",
        Defect.SoftmaxWithoutCrossEntropy => "NG0011",
        Defect.CrossEntropyWithoutSoftmax => "NG0012",
        Defect.BinaryCrossEntropyWithoutSigmoid => "NG0013",
        Defect.UndefinedActivation or Defect.UndefinedLoss => "NG0014",
        Defect.LayersOnTwoDeclarations => "NG0015",
        Defect.MemberClash => "NG0016",
        Defect.NegativeThreshold => "NG0018",
        Defect.OverloadOfGeneratedMethod or Defect.RecordClass => null,
        Defect.Struct => "NG0019",
        _ => throw new ArgumentOutOfRangeException(nameof(Defect)),
    };

    /// <summary>The declaration as C#, the network class named <paramref name="name"/>.</summary>
    public string Render(string name)
    {
        var attributes = new List<string>();
        string lossText = Loss is >= 0 and <= 2 ? "Loss." + LossNames[Loss] : $"(Loss){Loss}";
        attributes.Add($"[Network({lossText}, UnrollThreshold = {Threshold})]");
        var layers = Layers.Select(l => $"[Dense({l.Size}, {(l.Activation is >= 0 and <= 5 ? "Activation." + ActivationNames[l.Activation] : $"(Activation){l.Activation}")})]").ToList();
        string input = $"[Input({InputSize})]";
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

    private RandomDeclaration WithDefectApplied()
    {
        var layers = Layers.ToArray();
        int last = layers.Length - 1;
        switch (Defect)
        {
            case Defect.NoDense:
                return this with { Layers = [] };
            case Defect.NonPositiveSize:
                layers[Pick % layers.Length].Size = -(Pick % 3);
                return this with { Layers = layers };
            case Defect.TooLarge:
                layers[0].Size = 3_000;
                return this with { InputSize = 100_000, Layers = layers };
            case Defect.SoftmaxOnHiddenLayer when last == 0:
                return this with { Layers = [(5, (int)Activation.Softmax), .. layers] };
            case Defect.SoftmaxOnHiddenLayer:
                layers[Pick % last].Activation = (int)Activation.Softmax;
                return this with { Layers = layers };
            case Defect.SoftmaxWithoutCrossEntropy:
                layers[last].Activation = (int)Activation.Softmax;
                return this with { Loss = Pick % 2, Layers = layers };
            case Defect.CrossEntropyWithoutSoftmax:
                layers[last].Activation = Pick % 5;
                return this with { Loss = (int)NetGen.Loss.CrossEntropy, Layers = layers };
            case Defect.BinaryCrossEntropyWithoutSigmoid:
                layers[last].Activation = new[] { 0, 2, 3, 4 }[Pick % 4];
                return this with { Loss = (int)NetGen.Loss.BinaryCrossEntropy, Layers = layers };
            case Defect.UndefinedActivation:
                layers[Pick % layers.Length].Activation = 6 + Pick;
                return this with { Layers = layers };
            case Defect.UndefinedLoss:
                return this with { Loss = 3 + Pick };
            case Defect.NegativeThreshold:
                return this with { Threshold = -1 - Pick };
            default:
                return this;
        }
    }
}
