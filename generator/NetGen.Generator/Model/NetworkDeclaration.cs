using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// What the parser read from a <c>[Network]</c> class, right or wrong; the validator turns it into a
/// <see cref="NetworkSpec"/> or diagnostics. Holds no symbol or syntax node.
/// </summary>
/// <remarks>
/// <see cref="TypeIdentity.Keyword"/> says how the type is declared (<c>class</c>, <c>record</c>, <c>struct</c>,
/// <c>record struct</c>, <c>interface</c>); only the first two can hold a network.
/// <see cref="IsRepeatedApplication"/> marks a second <c>[Network]</c> on the same class (the compiler already reports
/// CS0579), which must not emit a second file. <see cref="InternalError"/> carries an exception the parser caught.
/// </remarks>
internal sealed record NetworkDeclaration(
    TypeIdentity Type,
    bool IsPartial,
    bool IsGeneric,
    string? NonPartialContainingType,
    SourceSpan ContainingTypeLocation,
    SourceSpan Identifier,
    int Loss,
    SourceSpan LossArgument,
    int UnrollThreshold,
    SourceSpan UnrollThresholdArgument,
    EquatableArray<LayerDeclaration> Layers,
    EquatableArray<MemberName> UserMembers,
    bool SupportsGeneratedCode,
    string MissingSupport,
    bool IsRepeatedApplication,
    string? InternalError);
