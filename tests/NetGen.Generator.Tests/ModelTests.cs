using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Model;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The emit step's cache key must be a pure value: equal for equal declarations, free of compiler objects.</summary>
public class ModelTests
{
    private static readonly Type[] Banned = { typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(SemanticModel) };

    [Fact]
    public void The_network_spec_holds_no_symbol_syntax_location_or_compilation()
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(new[] { typeof(NetworkSpec) });
        while (pending.Count > 0)
        {
            Type type = pending.Pop();
            if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string))
            {
                continue;
            }

            Assert.DoesNotContain(Banned, banned => banned.IsAssignableFrom(type));
            foreach (Type member in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.FieldType)
                         .Concat(type.IsArray ? new[] { type.GetElementType()! } : Type.EmptyTypes)
                         .Concat(type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes))
            {
                pending.Push(member);
            }
        }

        Assert.Contains(typeof(LayerSpec), seen);
    }

    [Fact]
    public void The_same_declaration_in_two_compilations_gives_equal_specs_with_equal_hashes()
    {
        const string source = """
            using NetGen;
            namespace A.B;
            [Network(Loss.CrossEntropy)] [Input(7)] [Dense(5, Activation.ReLU)] [Dense(3, Activation.Softmax)]
            public partial class Net { }
            """;

        object first = Spec(source), second = Spec(source);

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, Spec(source.Replace("Dense(5", "Dense(6")));
    }

    private static object Spec(string source)
    {
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(GeneratorHarness.Compilation(source));
        return driver.GetRunResult().Results.Single().TrackedSteps[NetworkGenerator.TrackingNames.Spec].Single().Outputs.Single().Value;
    }
}
