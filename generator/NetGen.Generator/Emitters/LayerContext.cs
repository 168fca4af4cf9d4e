using NetGen.Generator.Model;
using static NetGen.Generator.GeneratedNames;

namespace NetGen.Generator.Emitters;

/// <summary>
/// One layer as an emitter sees it: its spec, its layout decisions, the network around it, and the names of the
/// generated constants that hold its sizes and offsets.
/// </summary>
internal sealed record LayerContext(NetworkSpec Network, LayerSpec Spec, LayerLayout Layout)
{
    public int Number => Spec.Number;

    public ElementType Element => Network.Element;

    /// <summary>Whether this layer's own backward multiplies its incoming gradient by its activation's derivative.</summary>
    public bool HasActivationBackward => Layout.AppliesOwnDerivative && ActivationCode.HasDerivative(Spec.Activation);

    /// <summary>The name of one of this layer's members or constants, e.g. <c>Layer2Forward</c>.</summary>
    public string Name(string suffix) => Layer(Number, suffix);

    /// <summary>The constant holding the length of one sample's input.</summary>
    public string Inputs => Name("Inputs");

    /// <summary>The constant holding the length of one sample's output.</summary>
    public string Outputs => Name("Outputs");

    /// <summary>Where the layer's input sits in the activation arena: the data, or the previous layer's output.</summary>
    public string InputOffset => Number == 1 ? GeneratedNames.InputOffset : Layer(Number - 1, "OutputOffset");

    public string OutputOffset => Name("OutputOffset");

    public string LogitsOffset => Name("LogitsOffset");

    public string DeltaOffset => Name("DeltaOffset");

    /// <summary>Where dLoss/d(input) goes: the previous layer's delta slot.</summary>
    public string InputDeltaOffset => Layer(Number - 1, "DeltaOffset");

    /// <summary>
    /// The layer's row in the class summary's table after its number: kind, shapes, activation, where its parameters
    /// start (a dash for none of either) and how its code is shaped.
    /// </summary>
    public string SummaryRow(string kind, string code)
    {
        string activation = Spec.Activation == ActivationKind.Identity && Spec.ParameterCount == 0 ? "-" : Spec.Activation.ToString();
        string parameters = Spec.ParameterCount > 0 ? Layout.ParameterOffset.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";
        return $"{kind,-9} {$"{Spec.Input} → {Spec.Output}",-18} {activation,-11} {parameters,-14} {code}";
    }

    /// <summary>The <c>NetGen.TensorShape</c> of the layer's input, as a C# expression.</summary>
    public string InputShapeExpression => ShapeExpression(Spec.Input);

    /// <summary>A <c>NetGen.TensorShape</c> as a C# expression.</summary>
    public static string ShapeExpression(TensorShape shape) =>
        $"new global::NetGen.TensorShape({shape.Channels}, {shape.Height}, {shape.Width})";

    /// <summary>Whether the layer has a single-sample backward: parameter gradients, a derivative or an input δ to write.</summary>
    public bool HasBackward => Spec.ParameterCount > 0 || HasActivationBackward || Layout.HasInputDelta;

    /// <summary>The input in formulas: x for the first layer, a(n−1) after.</summary>
    public string InputSymbol => Number == 1 ? "x" : $"a{Number - 1}";
}
