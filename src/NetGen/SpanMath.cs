using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>Whole-buffer operations the trainer and optimizers run once per step, vectorized with a scalar tail.</summary>
internal static class SpanMath
{
    /// <summary>True when no value is NaN or infinite (x − x is 0 exactly for finite x, NaN otherwise).</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        var accumulated = Vector<float>.Zero;
        foreach (Vector<float> v in vectors)
        {
            accumulated += v - v;
        }

        if (accumulated != Vector<float>.Zero)
        {
            return false;
        }

        for (int i = vectors.Length * Vector<float>.Count; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Σ xᵢ², accumulated in double so that a million gradients do not lose the small ones.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double sum = 0;
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        foreach (Vector<float> v in vectors)
        {
            sum += Vector.Dot(v, v);
        }

        for (int i = vectors.Length * Vector<float>.Count; i < values.Length; i++)
        {
            sum += values[i] * values[i];
        }

        return sum;
    }

    /// <summary>x ← x + y.</summary>
    public static void Add(Span<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Cannot add {y.Length} values to {x.Length}.", nameof(y));
        }

        var vectors = MemoryMarshal.Cast<float, Vector<float>>(x);
        var others = MemoryMarshal.Cast<float, Vector<float>>(y);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] += others[i];
        }

        for (int i = vectors.Length * Vector<float>.Count; i < x.Length; i++)
        {
            x[i] += y[i];
        }
    }

    /// <summary>x ← x + factor·y.</summary>
    public static void AddScaled(Span<float> x, ReadOnlySpan<float> y, float factor)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(x);
        var others = MemoryMarshal.Cast<float, Vector<float>>(y);
        var scale = new Vector<float>(factor);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] += scale * others[i];
        }

        for (int i = vectors.Length * Vector<float>.Count; i < x.Length; i++)
        {
            x[i] += factor * y[i];
        }
    }

    /// <summary>x ← factor·x.</summary>
    public static void Scale(Span<float> values, float factor)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] *= factor;
        }

        for (int i = vectors.Length * Vector<float>.Count; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }

    /// <summary>x ← clamp(x, −limit, limit).</summary>
    public static void Clamp(Span<float> values, float limit)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        var high = new Vector<float>(limit);
        var low = new Vector<float>(-limit);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = Vector.Min(Vector.Max(vectors[i], low), high);
        }

        for (int i = vectors.Length * Vector<float>.Count; i < values.Length; i++)
        {
            values[i] = Math.Clamp(values[i], -limit, limit);
        }
    }

    /// <summary>g ← g + l2·p + l1·sign(p): the gradients of (l2/2)·‖p‖² and l1·‖p‖₁.</summary>
    public static void AddPenaltyGradients(Span<float> gradients, ReadOnlySpan<float> parameters, float l1, float l2)
    {
        for (int i = 0; i < gradients.Length; i++)
        {
            float p = parameters[i];
            gradients[i] += l2 * p + l1 * MathF.Sign(p);
        }
    }
}
