using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace NetGen.Generator;

/// <summary>
/// The names of the members NetGen adds to a network type, shared by the emitters (which write them) and the validator
/// (which reports a user member that would clash with one instead of letting the generated code fail to compile).
/// </summary>
internal static class GeneratedNames
{
    public const string InputSize = nameof(InputSize);
    public const string OutputSize = nameof(OutputSize);
    public const string ParameterCount = nameof(ParameterCount);
    public const string Architecture = nameof(Architecture);
    public const string ArchitectureFingerprint = nameof(ArchitectureFingerprint);
    public const string PyTorchModule = nameof(PyTorchModule);
    public const string Parameters = nameof(Parameters);
    public const string Gradients = nameof(Gradients);
    public const string Layers = nameof(Layers);
    public const string Mode = nameof(Mode);
    public const string Forward = nameof(Forward);
    public const string Backward = nameof(Backward);
    public const string EvaluateLoss = nameof(EvaluateLoss);
    public const string CreateWorkspace = nameof(CreateWorkspace);
    public const string ForwardBatch = nameof(ForwardBatch);
    public const string BackwardBatch = nameof(BackwardBatch);
    public const string EvaluateLossBatch = nameof(EvaluateLossBatch);
    public const string ZeroGradients = nameof(ZeroGradients);
    public const string InitializeParameters = nameof(InitializeParameters);
    public const string ForwardLayerBatch = nameof(ForwardLayerBatch);
    public const string OutputLossBatch = nameof(OutputLossBatch);
    public const string WeightGradientsBatch = nameof(WeightGradientsBatch);
    public const string InputDeltaBatch = nameof(InputDeltaBatch);

    public const string SampleLoss = nameof(SampleLoss);
    public const string SampleSoftmax = nameof(SampleSoftmax);
    public const string DrawParameters = nameof(DrawParameters);
    public const string ComputeLossAndOutputDelta = nameof(ComputeLossAndOutputDelta);
    public const string BatchLossRows = nameof(BatchLossRows);
    public const string SoftmaxRows = nameof(SoftmaxRows);

    public const string ParametersField = "_parameters";
    public const string GradientsField = "_gradients";
    public const string ActivationsField = "_activations";
    public const string DeltasField = "_deltas";
    public const string HasForwardStateField = "_hasForwardState";
    public const string ScratchField = "_scratch";
    public const string DropoutDrawsField = "_dropoutDraws";
    public const string ScratchLength = nameof(ScratchLength);
    public const string LayerTable = nameof(LayerTable);
    public const string InputOffset = nameof(InputOffset);
    public const string ActivationCount = nameof(ActivationCount);
    public const string DeltaCount = nameof(DeltaCount);
    public const string TransposeCount = nameof(TransposeCount);
    public const string ForwardSampleBlock = nameof(ForwardSampleBlock);

    /// <summary>Generated constants, fields and properties: any user member of the same name clashes (CS0102).</summary>
    private static readonly string[] DataNames =
    {
        InputSize, OutputSize, ParameterCount, Architecture, ArchitectureFingerprint, PyTorchModule, Parameters, Gradients, Layers, Mode,
        ParametersField, GradientsField, ActivationsField, DeltasField, HasForwardStateField, ScratchField, DropoutDrawsField, ScratchLength, LayerTable, InputOffset,
        ActivationCount, DeltaCount, TransposeCount, ForwardSampleBlock,
    };

    private const string Workspace = "global::NetGen.BatchWorkspace";

    /// <summary>
    /// Generated methods and their parameter lists, with <c>T</c> for the element type: a user method of the same name
    /// clashes only with the same parameter types (CS0111); any other user member of that name clashes (CS0102).
    /// SampleLoss has one list per loss shape; both are reserved.
    /// </summary>
    private static readonly Dictionary<string, string[]> MethodParameterLists = new()
    {
        [Forward] = new[] { "global::System.ReadOnlySpan<T>,global::System.Span<T>" },
        [Backward] = new[] { "global::System.ReadOnlySpan<T>" },
        [EvaluateLoss] = new[] { "global::System.ReadOnlySpan<T>" },
        [CreateWorkspace] = new[] { "int" },
        [ForwardBatch] = new[] { $"{Workspace},global::System.ReadOnlySpan<T>,global::System.Span<T>" },
        [BackwardBatch] = new[] { $"{Workspace},global::System.ReadOnlySpan<T>" },
        [EvaluateLossBatch] = new[] { $"{Workspace},global::System.ReadOnlySpan<T>" },
        [ZeroGradients] = new[] { "" },
        [InitializeParameters] = new[] { "int" },
        [ForwardLayerBatch] = new[] { $"{Workspace},int,int,int" },
        [OutputLossBatch] = new[] { $"{Workspace},global::System.ReadOnlySpan<T>,global::System.Span<T>,int,int" },
        [WeightGradientsBatch] = new[] { $"{Workspace},int,int,int" },
        [InputDeltaBatch] = new[] { $"{Workspace},int,int,int" },
        [SampleLoss] = new[]
        {
            "global::System.ReadOnlySpan<T>,global::System.Span<T>,global::System.ReadOnlySpan<T>",
            "global::System.ReadOnlySpan<T>,global::System.ReadOnlySpan<T>,global::System.Span<T>,global::System.ReadOnlySpan<T>",
        },
        [SampleSoftmax] = new[] { "global::System.ReadOnlySpan<T>,global::System.Span<T>" },
        [DrawParameters] = new[] { "global::NetGen.AlignedBuffer,int" },
        [ComputeLossAndOutputDelta] = new[] { "global::System.ReadOnlySpan<T>" },
        [BatchLossRows] = new[] { $"{Workspace},global::System.ReadOnlySpan<T>,int,int" },
        [SoftmaxRows] = new[] { $"{Workspace},int,int" },
    };

    /// <summary>The per-layer methods, by suffix of <c>LayerN</c>, and their parameter lists.</summary>
    private static readonly Dictionary<string, string> LayerMethodParameterLists = new()
    {
        ["Forward"] = "",
        ["Backward"] = "",
        ["ForwardBatch"] = $"{Workspace},int,int,int,int",
        ["ActivationBackwardBatch"] = $"{Workspace},int,int,int",
        ["WeightGradientsBatch"] = $"{Workspace},int,int,int",
        ["InputDeltaBatch"] = $"{Workspace},int,int,int",
        ["TransposeWeights"] = $"{Workspace},int,int",
    };

    private static readonly Regex LayerConstant = new(
        @"^Layer[0-9]+(Inputs|Outputs|WeightsOffset|BiasesOffset|WeightCount|OutputOffset|LogitsOffset|DeltaOffset|TransposeOffset|MaskOffset|Rate|KeyOffset|Shape|Filters|Channels|InputChannels|InputPlane|OutputPlane)$",
        RegexOptions.CultureInvariant);

    private static readonly Regex LayerMethod = new(
        @"^Layer[0-9]+(Forward|Backward|ForwardBatch|ActivationBackwardBatch|WeightGradientsBatch|InputDeltaBatch|TransposeWeights)$",
        RegexOptions.CultureInvariant);

    public static string Layer(int number, string suffix) => "Layer" + number + suffix;

    /// <summary>How the parser writes a method's shape: type-parameter count, then parameter types, e.g. <c>`0(int)</c>.</summary>
    public static string Signature(int typeParameters, IEnumerable<string> parameterTypes) =>
        "`" + typeParameters + "(" + string.Join(",", parameterTypes) + ")";

    /// <summary>
    /// Whether a user member named <paramref name="name"/>, a method of <paramref name="signature"/> or (null) any
    /// other member, cannot sit beside the generated members of a network computing in <paramref name="element"/>.
    /// </summary>
    public static bool Clashes(string name, string? signature, string element)
    {
        if (System.Array.IndexOf(DataNames, name) >= 0 || LayerConstant.IsMatch(name))
        {
            return true;
        }

        string[]? lists = MethodParameterLists.TryGetValue(name, out string[]? found) ? found
            : LayerMethod.Match(name) is { Success: true } match ? new[] { LayerMethodParameterLists[match.Groups[1].Value] }
            : null;
        if (lists is null)
        {
            return false;
        }

        if (signature is null)
        {
            return true;
        }

        foreach (string list in lists)
        {
            if (signature == "`0(" + list.Replace("<T>", "<" + element + ">") + ")")
            {
                return true;
            }
        }

        return false;
    }
}
