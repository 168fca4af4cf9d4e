namespace NetGen.Kernels;

/// <summary>
/// A count fixed by a type, so that a tile's rows and vectors are constants the JIT folds: accumulators beyond them
/// and the branches that guard them disappear from the compiled tile.
/// </summary>
internal interface ICount
{
    static abstract int Value { get; }
}

internal readonly struct One : ICount
{
    public static int Value => 1;
}

internal readonly struct Two : ICount
{
    public static int Value => 2;
}

internal readonly struct Three : ICount
{
    public static int Value => 3;
}

internal readonly struct Four : ICount
{
    public static int Value => 4;
}

internal readonly struct Eight : ICount
{
    public static int Value => 8;
}

internal readonly struct Sixteen : ICount
{
    public static int Value => 16;
}
