namespace NetGen.Generator.Model;

/// <summary>One <c>[Input]</c> or <c>[Dense]</c> attribute as written, before validation.</summary>
/// <param name="IsInput">True for <c>[Input]</c>, false for <c>[Dense]</c>.</param>
/// <param name="Size">The size argument.</param>
/// <param name="Activation">The activation argument's number (0 for <c>[Input]</c>); may name no defined value.</param>
/// <param name="DeclarationIndex">Which partial declaration of the class carries the attribute.</param>
/// <param name="Attribute">The whole attribute.</param>
/// <param name="SizeArgument">The size argument.</param>
/// <param name="ActivationArgument">The activation argument.</param>
internal sealed record LayerDeclaration(
    bool IsInput,
    int Size,
    int Activation,
    int DeclarationIndex,
    SourceSpan Attribute,
    SourceSpan SizeArgument,
    SourceSpan ActivationArgument)
{
    /// <summary>Stands for an argument the compiler could not bind; the compiler reports that error itself.</summary>
    public const int Unreadable = int.MinValue;
}
