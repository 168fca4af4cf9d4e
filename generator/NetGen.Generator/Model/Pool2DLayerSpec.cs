namespace NetGen.Generator.Model;

/// <summary>Which value of a window pooling keeps.</summary>
internal enum PoolKind
{
    Max,
    Average,
}

/// <summary>
/// Pooling over each channel: every <see cref="Size"/> × <see cref="Size"/> window, taken every <see cref="Stride"/>
/// rows and columns, becomes its largest value or its mean. No parameters and no activation.
/// </summary>
internal sealed record Pool2DLayerSpec(int Number, TensorShape Input, TensorShape Output, PoolKind Pool, int Size, int Stride)
    : LayerSpec(Number, Input, Output, ActivationKind.Identity)
{
    public override long Parameters => 0;

    /// <summary>The attribute's name, as in <c>MaxPool2D</c>.</summary>
    public string KindName => Pool == PoolKind.Max ? "MaxPool2D" : "AvgPool2D";

    public override string Describe() => $"{KindName}({Size}{Conv2DLayerSpec.Named("Stride", Stride, Size)})";
}
