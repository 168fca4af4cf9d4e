using System;

namespace NetGen;

/// <summary>
/// Flattens a (C, H, W) tensor into a vector in (C, H, W) order, as <c>torch.flatten</c> does. A Dense layer after an
/// image-shaped output flattens it anyway; writing <c>[Flatten]</c> says so explicitly and changes nothing in the
/// generated code, where a flatten costs nothing (the values are already stored in that order).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
}
