namespace NetGen.Generator;

/// <summary>
/// The vector type a register tile is written in, as the C# names the emitter needs. Tiles are written in the portable
/// <c>Vector&lt;float&gt;</c>, whose width the runtime picks; batched tiles are written a second time in
/// <c>Vector512&lt;float&gt;</c>, run first where AVX-512 is accelerated but <c>Vector&lt;float&gt;</c> keeps its default
/// 8 lanes (see docs/design.md, "Vector widths").
/// </summary>
internal sealed class TileVector
{
    public static readonly TileVector Portable = new(
        "global::System.Numerics.Vector<float>", "global::System.Numerics.Vector", "global::System.Numerics.Vector<float>.Count", fewestLanes: 4, portable: true);

    /// <summary>16 lanes, always; the generated class names that count <see cref="GeneratedNames.Vector512Floats"/>.</summary>
    public static readonly TileVector Wide = new(
        "global::System.Runtime.Intrinsics.Vector512<float>", "global::System.Runtime.Intrinsics.Vector512", GeneratedNames.Vector512Floats, fewestLanes: 16, portable: false);

    private readonly bool _portable;

    private TileVector(string type, string operations, string count, int fewestLanes, bool portable)
    {
        Type = type;
        Operations = operations;
        Count = count;
        FewestLanes = fewestLanes;
        _portable = portable;
    }

    /// <summary>The vector type, such as <c>global::System.Numerics.Vector&lt;float&gt;</c>.</summary>
    public string Type { get; }

    /// <summary>The static class of its operations, such as <c>global::System.Numerics.Vector</c>.</summary>
    public string Operations { get; }

    /// <summary>The lane count: a constant, or an expression the JIT folds to one.</summary>
    public string Count { get; }

    /// <summary>The fewest lanes it has on any runtime (a Vector&lt;float&gt; is at least 128 bits wide).</summary>
    public int FewestLanes { get; }

    public string Zero => $"{Type}.Zero";

    public string One => $"{Type}.One";

    public string LoadUnsafe => $"{Operations}.LoadUnsafe";

    public string StoreUnsafe => $"{Operations}.StoreUnsafe";

    /// <summary>The scalar expression <paramref name="scalar"/> in every lane.</summary>
    public string Broadcast(string scalar) => _portable ? $"new {Type}({scalar})" : $"{Operations}.Create({scalar})";

    /// <summary>accumulator += a·b, fused into one rounding where the target framework offers it (.NET 9 and later).</summary>
    public string MultiplyAdd(bool useFusedMultiplyAdd, string accumulator, string a, string b) =>
        useFusedMultiplyAdd
            ? $"{accumulator} = {Operations}.FusedMultiplyAdd({a}, {b}, {accumulator});"
            : $"{accumulator} += {a} * {b};";
}
