using System;

namespace NetGen;

/// <summary>The network's input layer: a vector of <see cref="Size"/> floats. Declared once, before every layer.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares an input of <paramref name="size"/> floats.</summary>
    public InputAttribute(int size) => Size = size;

    /// <summary>The number of input features.</summary>
    public int Size { get; }
}
