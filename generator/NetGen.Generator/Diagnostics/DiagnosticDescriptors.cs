using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NetGen reports. One ID per problem; each message names the offending value and the fix, and the
/// help link points at its section of docs/diagnostics.md. New IDs go to AnalyzerReleases.Unshipped.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string Prefix = "NG";
    private const string Category = "NetGen";
    // Relative to the repository root until the project has a public documentation address.
    private const string HelpBase = "docs/diagnostics.md#";

    /// <summary>NG0001: The network class '{0}' must be declared 'partial' …</summary>
    public static readonly DiagnosticDescriptor NetworkNotPartial = Error(
        "NG0001", "Network class is not partial",
        "The network class '{0}' must be declared 'partial' so that NetGen can add its generated members; write 'partial class {0}'");

    /// <summary>NG0002: '{0}' contains the network '{1}' and must be declared 'partial' …</summary>
    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        "NG0002", "Type containing a network is not partial",
        "'{0}' contains the network '{1}' and must be declared 'partial' too, because the generated code reopens it");

    /// <summary>NG0003: The network class '{0}' is generic …</summary>
    public static readonly DiagnosticDescriptor NetworkIsGeneric = Error(
        "NG0003", "Network class is generic",
        "The network class '{0}' is generic; a network's code is fixed at compile time, so declare a non-generic class and, if needed, a generic wrapper around it");

    /// <summary>NG0004: The network '{0}' declares no [Input] …</summary>
    public static readonly DiagnosticDescriptor InputMissing = Error(
        "NG0004", "Network has no input layer",
        "The network '{0}' declares no [Input]; add [Input(size)] before its first [Dense]");

    /// <summary>NG0005: The network '{0}' declares [Input] more than once …</summary>
    public static readonly DiagnosticDescriptor InputDuplicated = Error(
        "NG0005", "Network has more than one input layer",
        "The network '{0}' declares [Input] more than once; keep the single [Input] before the first [Dense]");

    /// <summary>NG0006: [Input] must come before every layer …</summary>
    public static readonly DiagnosticDescriptor InputNotFirst = Error(
        "NG0006", "Input layer is not first",
        "[Input] must come before every layer of the network '{0}', because layers run in the order they are written; move it to the top");

    /// <summary>NG0007: The network '{0}' has no [Dense] layer …</summary>
    public static readonly DiagnosticDescriptor NoDenseLayer = Error(
        "NG0007", "Network has no layer",
        "The network '{0}' has no [Dense] layer; add at least one, e.g. [Dense(1, Activation.Sigmoid)]");

    /// <summary>NG0008: {0} {1} is not positive …</summary>
    public static readonly DiagnosticDescriptor SizeNotPositive = Error(
        "NG0008", "Layer size is not positive",
        "{0} {1} is not positive; {2}");

    /// <summary>NG0009: The network '{0}' has {1} parameters …</summary>
    public static readonly DiagnosticDescriptor TooManyParameters = Error(
        "NG0009", "Network is too large",
        "The network '{0}' has {1} parameters and activations, above NetGen's limit of {2}; use smaller layers");

    /// <summary>NG0010: Softmax is only allowed on the last layer …</summary>
    public static readonly DiagnosticDescriptor SoftmaxOnHiddenLayer = Error(
        "NG0010", "Softmax on a hidden layer",
        "Softmax is only allowed on the last layer, where it is fused with CrossEntropy; use ReLU, Tanh or Sigmoid for layer {0}");

    /// <summary>NG0011: A Softmax output needs Loss.CrossEntropy …</summary>
    public static readonly DiagnosticDescriptor SoftmaxWithoutCrossEntropy = Error(
        "NG0011", "Softmax output without CrossEntropy",
        "A Softmax output needs Loss.CrossEntropy, with which it is fused into an exact and stable gradient, but the network '{0}' uses Loss.{1}; write [Network(Loss.CrossEntropy)]");

    /// <summary>NG0012: Loss.CrossEntropy needs a Softmax output layer …</summary>
    public static readonly DiagnosticDescriptor CrossEntropyWithoutSoftmax = Error(
        "NG0012", "CrossEntropy without a Softmax output",
        "Loss.CrossEntropy needs a Softmax output layer, but the last layer of '{0}' uses {1}; write [Dense(size, Activation.Softmax)] last");

    /// <summary>NG0013: Loss.BinaryCrossEntropy needs a Sigmoid output layer …</summary>
    public static readonly DiagnosticDescriptor BinaryCrossEntropyWithoutSigmoid = Error(
        "NG0013", "BinaryCrossEntropy without a Sigmoid output",
        "Loss.BinaryCrossEntropy needs a Sigmoid output layer, because it takes log y and log(1 − y) of outputs in (0, 1), but the last layer of '{0}' uses {1}; use Activation.Sigmoid there");

    /// <summary>NG0014: {0} is not a defined {1} value …</summary>
    public static readonly DiagnosticDescriptor UndefinedEnumValue = Error(
        "NG0014", "Undefined enum value",
        "{0} is not a defined {1} value; use one of {2}");

    /// <summary>NG0015: The layers of '{0}' are declared on more than one partial declaration …</summary>
    public static readonly DiagnosticDescriptor LayersOnSeveralDeclarations = Error(
        "NG0015", "Layers split across partial declarations",
        "The layers of '{0}' are declared on more than one partial declaration, so their order is undefined; put [Network], [Input] and every [Dense] on one declaration");

    /// <summary>NG0016: '{0}' declares a member '{1}' that NetGen generates …</summary>
    public static readonly DiagnosticDescriptor MemberNameClash = Error(
        "NG0016", "Member clashes with a generated member",
        "'{0}' declares a member '{1}' that clashes with one NetGen generates for every network; rename it, or give a method other parameter types");

    /// <summary>NG0017: The generated code for '{0}' needs {1} …</summary>
    public static readonly DiagnosticDescriptor UnsupportedPlatform = Error(
        "NG0017", "Language version or target framework too old",
        "The generated code for '{0}' needs {1}; target .NET 8 or later with C# 9 or later");

    /// <summary>NG0018: UnrollThreshold {0} is negative …</summary>
    public static readonly DiagnosticDescriptor UnrollThresholdNegative = Error(
        "NG0018", "Negative unroll threshold",
        "UnrollThreshold {0} is negative; use 0 to turn unrolling off or a positive weight count");

    /// <summary>NG0019: '{0}' is a {1}; [Network] needs a class or record class …</summary>
    public static readonly DiagnosticDescriptor NetworkNotClass = Error(
        "NG0019", "Network is not a class",
        "'{0}' is declared as a {1}, but a network holds its buffers by reference and must be a class or record class; declare it 'partial class {0}' or 'partial record {0}'");

    /// <summary>NG0020: The {0} window of {1} is larger than …</summary>
    public static readonly DiagnosticDescriptor WindowTooLarge = Error(
        "NG0020", "Window larger than its input",
        "The {0} window of {1} is larger than layer {2}'s input of {3} (padding included); use a window of at most {4}");

    /// <summary>NG0021: With stride {0}, the {1} window of {2} does not fit …</summary>
    public static readonly DiagnosticDescriptor WindowsDoNotFit = Error(
        "NG0021", "Windows do not fit the input a whole number of times",
        "With stride {0}, the {1} window of {2} does not fit layer {3}'s input of {4} (padding included) a whole number of times, which would leave rows or columns unread; {5}");

    /// <summary>NG0022: Dropout rate {0} is outside [0, 1) …</summary>
    public static readonly DiagnosticDescriptor DropoutRateOutOfRange = Error(
        "NG0022", "Dropout rate outside [0, 1)",
        "Dropout rate {0} is outside [0, 1); it is the fraction of values zeroed in training, e.g. 0.25");

    /// <summary>NG0023: [{0}] needs an image input …</summary>
    public static readonly DiagnosticDescriptor SpatialLayerAfterFlat = Error(
        "NG0023", "Convolution or pooling after a flat layer",
        "[{0}] needs an image (channels × height × width), but layer {1} reads {2}, which is flat; move it before the first [Dense] or [Flatten], or declare the input as [Input(channels, height, width)]");

    /// <summary>NG0024: The last layer of '{0}' is a {1} …</summary>
    public static readonly DiagnosticDescriptor OutputNotDense = Error(
        "NG0024", "Last layer is not Dense",
        "The last layer of '{0}' is a {1} layer, but the losses read the output of a Dense layer; end the network with [Dense(outputs, activation)]");

    /// <summary>NG0025: Padding {0} is negative …</summary>
    public static readonly DiagnosticDescriptor PaddingNegative = Error(
        "NG0025", "Negative padding",
        "Padding {0} is negative; it is the zeros added on each side of the input, 0 for none");

    /// <summary>NG9999: NetGen failed on '{0}' …</summary>
    public static readonly DiagnosticDescriptor InternalError = Error(
        "NG9999", "NetGen internal error",
        "NetGen failed on '{0}': {1}. This is a bug in NetGen, not in your code; please report it with this message");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
