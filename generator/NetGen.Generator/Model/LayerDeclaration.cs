namespace NetGen.Generator.Model;

/// <summary>Which layer attribute a <see cref="LayerDeclaration"/> was read from.</summary>
internal enum DeclaredKind
{
    Input,
    Dense,
    Conv2D,
    MaxPool2D,
    AvgPool2D,
    Flatten,
    Dropout,
}

/// <summary>
/// One layer attribute as written, before validation: its arguments as numbers (<see cref="Unreadable"/> where the
/// compiler could not bind one) and where each is, so that a diagnostic can point at the offending one.
/// </summary>
/// <param name="Kind">The attribute.</param>
/// <param name="Size">
/// The first argument: [Input]'s size or channels, [Dense]'s size, [Conv2D]'s filters, a pool's window; 0 for
/// [Flatten] and [Dropout].
/// </param>
/// <param name="KernelSize">[Conv2D]'s kernel size; 0 for the others.</param>
/// <param name="Height">An image [Input]'s height; 1 for a vector input and the other kinds.</param>
/// <param name="Width">An image [Input]'s width; 1 for a vector input and the other kinds.</param>
/// <param name="Activation">The activation argument's number (0 for kinds without one); may name no defined value.</param>
/// <param name="Stride">The named Stride, or 0 when not written (a convolution's default is 1, a pool's its window).</param>
/// <param name="Padding">[Conv2D]'s named Padding; 0 when not written.</param>
/// <param name="Rate">[Dropout]'s rate (NaN included, which validation refuses); 0 for the others, null when unreadable.</param>
/// <param name="DeclarationIndex">Which partial declaration of the class carries the attribute.</param>
/// <param name="Attribute">The whole attribute.</param>
/// <param name="SizeArgument">The first argument.</param>
/// <param name="SecondArgument">The second argument: [Conv2D]'s kernel size, or an image [Input]'s height.</param>
/// <param name="ThirdArgument">The third argument: an image [Input]'s width.</param>
/// <param name="ActivationArgument">The activation argument.</param>
/// <param name="StrideArgument">The named Stride argument, or the attribute.</param>
/// <param name="PaddingArgument">The named Padding argument, or the attribute.</param>
internal sealed record LayerDeclaration(
    DeclaredKind Kind,
    int Size,
    int KernelSize,
    int Height,
    int Width,
    int Activation,
    int Stride,
    int Padding,
    float? Rate,
    int DeclarationIndex,
    SourceSpan Attribute,
    SourceSpan SizeArgument,
    SourceSpan SecondArgument,
    SourceSpan ThirdArgument,
    SourceSpan ActivationArgument,
    SourceSpan StrideArgument,
    SourceSpan PaddingArgument)
{
    /// <summary>Stands for an argument the compiler could not bind; the compiler reports that error itself.</summary>
    public const int Unreadable = int.MinValue;

    public bool IsInput => Kind == DeclaredKind.Input;

    /// <summary>An [Input(channels, height, width)]: an image even at 1 × 1, so that convolutions may follow it.</summary>
    public bool IsImageInput => IsInput && ThirdArgument != Attribute;

    /// <summary>Whether any argument could not be read.</summary>
    public bool HasUnreadableArgument =>
        Size == Unreadable || KernelSize == Unreadable || Height == Unreadable || Width == Unreadable || Activation == Unreadable
        || Stride == Unreadable || Padding == Unreadable || Rate is null;
}
