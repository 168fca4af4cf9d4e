using System.Text.RegularExpressions;

namespace NetGen.Generator;

/// <summary>
/// The names of the members NetGen adds to a network class, shared by the emitter (which writes them) and the
/// validator (which reports a user member of the same name instead of letting the generated code fail to compile).
/// </summary>
internal static class GeneratedNames
{
    public const string InputSize = nameof(InputSize);
    public const string OutputSize = nameof(OutputSize);
    public const string ParameterCount = nameof(ParameterCount);
    public const string Architecture = nameof(Architecture);
    public const string ArchitectureFingerprint = nameof(ArchitectureFingerprint);
    public const string Parameters = nameof(Parameters);
    public const string Gradients = nameof(Gradients);
    public const string Forward = nameof(Forward);
    public const string Backward = nameof(Backward);
    public const string EvaluateLoss = nameof(EvaluateLoss);
    public const string CreateWorkspace = nameof(CreateWorkspace);
    public const string ForwardBatch = nameof(ForwardBatch);
    public const string BackwardBatch = nameof(BackwardBatch);
    public const string EvaluateLossBatch = nameof(EvaluateLossBatch);
    public const string SampleLoss = nameof(SampleLoss);
    public const string SampleSoftmax = nameof(SampleSoftmax);
    public const string ZeroGradients = nameof(ZeroGradients);
    public const string InitializeParameters = nameof(InitializeParameters);

    public const string ParametersField = "_parameters";
    public const string GradientsField = "_gradients";
    public const string ActivationsField = "_activations";
    public const string DeltasField = "_deltas";
    public const string HasForwardStateField = "_hasForwardState";
    public const string DrawParameters = nameof(DrawParameters);
    public const string ComputeLossAndOutputDelta = nameof(ComputeLossAndOutputDelta);
    public const string InputOffset = nameof(InputOffset);
    public const string LogitsOffset = nameof(LogitsOffset);
    public const string ActivationCount = nameof(ActivationCount);
    public const string DeltaCount = nameof(DeltaCount);
    public const string TransposeCount = nameof(TransposeCount);
    public const string ForwardSampleBlock = nameof(ForwardSampleBlock);
    public const string Vector512Floats = nameof(Vector512Floats);
    public const string BatchLossRows = nameof(BatchLossRows);
    public const string SoftmaxRows = nameof(SoftmaxRows);
    public const string Layers = nameof(Layers);
    public const string Mode = nameof(Mode);
    public const string LayerShapes = nameof(LayerShapes);
    public const string ForwardLayerBatch = nameof(ForwardLayerBatch);
    public const string OutputLossBatch = nameof(OutputLossBatch);
    public const string WeightGradientsBatch = nameof(WeightGradientsBatch);
    public const string InputDeltaBatch = nameof(InputDeltaBatch);

    private static readonly string[] FixedNames =
    {
        InputSize, OutputSize, ParameterCount, Architecture, ArchitectureFingerprint, Parameters, Gradients, Forward,
        Backward, EvaluateLoss, CreateWorkspace, ForwardBatch, BackwardBatch, EvaluateLossBatch, SampleLoss, SampleSoftmax, ZeroGradients, InitializeParameters, ParametersField, GradientsField, ActivationsField, DeltasField,
        HasForwardStateField, DrawParameters, ComputeLossAndOutputDelta, InputOffset, LogitsOffset, ActivationCount,
        DeltaCount, TransposeCount, ForwardSampleBlock, Vector512Floats, BatchLossRows, SoftmaxRows, Layers, Mode, LayerShapes, ForwardLayerBatch,
        OutputLossBatch, WeightGradientsBatch, InputDeltaBatch,
    };

    private static readonly Regex LayerMember = new(
        @"^Layer[0-9]+(Inputs|Outputs|WeightsOffset|BiasesOffset|OutputOffset|DeltaOffset|Forward|Backward|ForwardBatch|WeightGradientsBatch|InputDeltaBatch|TransposeWeights|TransposeOffset)$",
        RegexOptions.CultureInvariant);

    public static string Layer(int number, string suffix) => "Layer" + number + suffix;

    public static bool IsGenerated(string name) =>
        System.Array.IndexOf(FixedNames, name) >= 0 || LayerMember.IsMatch(name);
}
