using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// Reads a <c>[Network]</c> class into a <see cref="NetworkDeclaration"/>: the attributes as written, where they are,
    /// and the facts about the class and the compilation that validation needs. Judges nothing.
    /// </summary>
    internal static class Parser
    {
        private const string StrideProperty = "Stride";
        private const string PaddingProperty = "Padding";
        private const string NetworkAttributeShortName = "NetworkAttribute";
        private const string UnrollThresholdProperty = "UnrollThreshold";
        private const int DefaultUnrollThreshold = 64;

        /// <summary>The layer attributes of namespace NetGen, by class name.</summary>
        private static readonly Dictionary<string, DeclaredKind> LayerAttributes = new()
        {
            ["InputAttribute"] = DeclaredKind.Input,
            ["DenseAttribute"] = DeclaredKind.Dense,
            ["Conv2DAttribute"] = DeclaredKind.Conv2D,
            ["MaxPool2DAttribute"] = DeclaredKind.MaxPool2D,
            ["AvgPool2DAttribute"] = DeclaredKind.AvgPool2D,
            ["FlattenAttribute"] = DeclaredKind.Flatten,
            ["DropoutAttribute"] = DeclaredKind.Dropout,
        };

        public static NetworkDeclaration Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            try
            {
                return ParseCore(context, symbol, syntax, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return Failed(symbol, syntax, exception);
            }
        }

        private static NetworkDeclaration ParseCore(
            GeneratorAttributeSyntaxContext context, INamedTypeSymbol symbol, TypeDeclarationSyntax syntax, CancellationToken cancellationToken)
        {
            AttributeData network = context.Attributes[0];
            bool isRepeated = IsRepeatedApplication(symbol, network);

            var layers = new List<LayerDeclaration>();
            var declarations = symbol.DeclaringSyntaxReferences;
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (ReadLayer(attribute, declarations, cancellationToken) is { } layer)
                {
                    layers.Add(layer);
                }
            }

            var (nonPartialContainer, containerLocation) = FindNonPartialContainingType(symbol, cancellationToken);
            var (supported, missing) = CheckPlatform(context.SemanticModel.Compilation, syntax);
            var networkSyntax = network.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

            return new NetworkDeclaration(
                Identify(symbol),
                IsPartial: syntax.Modifiers.Any(SyntaxKind.PartialKeyword),
                IsGeneric: symbol.IsGenericType,
                nonPartialContainer,
                containerLocation,
                Identifier: new SourceSpan(syntax.SyntaxTree, syntax.Identifier.Span),
                Loss: ReadInt(network.ConstructorArguments, 0),
                LossArgument: SourceSpan.Of(Argument(networkSyntax, 0) ?? (SyntaxNode?)networkSyntax),
                UnrollThreshold: ReadNamedInt(network, UnrollThresholdProperty) ?? DefaultUnrollThreshold,
                UnrollThresholdArgument: SourceSpan.Of(NamedArgument(networkSyntax, UnrollThresholdProperty) ?? (SyntaxNode?)networkSyntax),
                layers.ToEquatableArray(),
                UserMembers(symbol),
                supported,
                missing,
                isRepeated,
                InternalError: null);
        }

        private static LayerDeclaration? ReadLayer(AttributeData attribute, ImmutableArray<SyntaxReference> declarations, CancellationToken cancellationToken)
        {
            string? name = attribute.AttributeClass is { ContainingNamespace: { Name: "NetGen", ContainingNamespace.IsGlobalNamespace: true } } type
                ? type.Name
                : null;
            if (name is null || !LayerAttributes.TryGetValue(name, out DeclaredKind kind))
            {
                return null;
            }

            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
            bool isImage = kind == DeclaredKind.Input && arguments.Length == 3;
            int activationIndex = kind switch
            {
                DeclaredKind.Dense => 1,
                DeclaredKind.Conv2D => 2,
                _ => -1,
            };

            return new LayerDeclaration(
                kind,
                Size: kind is DeclaredKind.Flatten or DeclaredKind.Dropout ? 0 : ReadInt(arguments, 0),
                KernelSize: kind == DeclaredKind.Conv2D ? ReadInt(arguments, 1) : 0,
                Height: isImage ? ReadInt(arguments, 1) : 1,
                Width: isImage ? ReadInt(arguments, 2) : 1,
                Activation: activationIndex >= 0 ? ReadInt(arguments, activationIndex) : 0,
                Stride: ReadNamedInt(attribute, StrideProperty) ?? 0,
                Padding: ReadNamedInt(attribute, PaddingProperty) ?? 0,
                Rate: kind == DeclaredKind.Dropout ? ReadFloat(arguments, 0) : 0,
                DeclarationIndex: DeclarationIndex(syntax, declarations),
                Attribute: SourceSpan.Of(syntax),
                SizeArgument: SourceSpan.Of(Argument(syntax, 0) ?? (SyntaxNode?)syntax),
                SecondArgument: SourceSpan.Of(Argument(syntax, 1) ?? (SyntaxNode?)syntax),
                ThirdArgument: SourceSpan.Of(Argument(syntax, 2) ?? (SyntaxNode?)syntax),
                ActivationArgument: SourceSpan.Of(Argument(syntax, activationIndex < 0 ? 0 : activationIndex) ?? (SyntaxNode?)syntax),
                StrideArgument: SourceSpan.Of(NamedArgument(syntax, StrideProperty) ?? (SyntaxNode?)syntax),
                PaddingArgument: SourceSpan.Of(NamedArgument(syntax, PaddingProperty) ?? (SyntaxNode?)syntax));
        }

        /// <summary>True when another <c>[Network]</c> on the same class comes first (CS0579 already reports it).</summary>
        private static bool IsRepeatedApplication(INamedTypeSymbol symbol, AttributeData network)
        {
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: NetworkAttributeShortName, ContainingNamespace.Name: "NetGen" })
                {
                    return attribute.ApplicationSyntaxReference is { } first
                        && network.ApplicationSyntaxReference is { } current
                        && (first.SyntaxTree != current.SyntaxTree || first.Span != current.Span);
                }
            }

            return false;
        }

        private static int DeclarationIndex(AttributeSyntax? attribute, ImmutableArray<SyntaxReference> declarations)
        {
            SyntaxNode? owner = attribute?.Parent?.Parent;
            for (int i = 0; i < declarations.Length; i++)
            {
                if (owner is not null && declarations[i].SyntaxTree == owner.SyntaxTree && declarations[i].Span == owner.Span)
                {
                    return i;
                }
            }

            return 0;
        }

        private static TypeIdentity Identify(INamedTypeSymbol symbol)
        {
            var containers = new List<string>();
            string metadataName = symbol.MetadataName;
            for (INamedTypeSymbol? outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                containers.Insert(0, "partial " + TypeKeyword(outer) + " " + outer.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
                metadataName = outer.MetadataName + "+" + metadataName;
            }

            string ns = symbol.ContainingNamespace.IsGlobalNamespace ? string.Empty : symbol.ContainingNamespace.ToDisplayString();
            return new TypeIdentity(ns, containers.ToEquatableArray(), TypeKeyword(symbol), symbol.Name, ns.Length == 0 ? metadataName : ns + "." + metadataName);
        }

        private static string TypeKeyword(INamedTypeSymbol type) => type switch
        {
            { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
            { IsRecord: true } => "record",
            { TypeKind: TypeKind.Struct } => "struct",
            { TypeKind: TypeKind.Interface } => "interface",
            _ => "class",
        };

        private static (string? Name, SourceSpan Location) FindNonPartialContainingType(INamedTypeSymbol symbol, CancellationToken cancellationToken)
        {
            for (INamedTypeSymbol? outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                foreach (SyntaxReference reference in outer.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                        && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                    {
                        return (outer.Name, new SourceSpan(declaration.SyntaxTree, declaration.Identifier.Span));
                    }
                }
            }

            return (null, default);
        }

        /// <summary>
        /// The generated code needs C# 9 (records, native integers) and .NET 8, the oldest framework the runtime library's
        /// kernels build for (<c>Vector.LoadUnsafe</c> marks it).
        /// </summary>
        private static (bool Supported, string Missing) CheckPlatform(Compilation compilation, SyntaxNode syntax)
        {
            if (syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp9 } options)
            {
                return (false, "C# 9 or later, but the project uses C# " + options.LanguageVersion.ToDisplayString());
            }

            INamedTypeSymbol? vector = compilation.GetTypeByMetadataName("System.Numerics.Vector");
            if (vector is null || vector.GetMembers("LoadUnsafe").IsEmpty)
            {
                return (false, "System.Numerics.Vector.LoadUnsafe from .NET 8, which the target framework lacks");
            }

            return (true, string.Empty);
        }

        private static EquatableArray<MemberName> UserMembers(INamedTypeSymbol symbol)
        {
            var members = new List<MemberName>();
            foreach (ISymbol member in symbol.GetMembers())
            {
                if (!member.IsImplicitlyDeclared && member.CanBeReferencedByName)
                {
                    string? signature = member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method
                        ? GeneratedNames.Signature(method.Arity, method.Parameters.Select(ParameterType))
                        : null;
                    members.Add(new MemberName(member.Name, SourceSpan.Of(member.Locations.FirstOrDefault()), signature));
                }
            }

            return members.ToEquatableArray();
        }

        /// <summary>A parameter's type as overload resolution sees it: by-reference parameters differ from by-value ones.</summary>
        private static string ParameterType(IParameterSymbol parameter) =>
            (parameter.RefKind == RefKind.None ? "" : "ref ") + parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

        private static int ReadInt(ImmutableArray<TypedConstant> arguments, int index) =>
            index < arguments.Length && arguments[index].Value is int value ? value : LayerDeclaration.Unreadable;

        /// <summary>A float argument, or null when the compiler could not bind it (NaN is a value, which validation judges).</summary>
        private static float? ReadFloat(ImmutableArray<TypedConstant> arguments, int index) =>
            index >= arguments.Length ? null
            : arguments[index].Value switch
            {
                float value => value,
                double value => (float)value,
                _ => null,
            };

        private static int? ReadNamedInt(AttributeData attribute, string name)
        {
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == name && argument.Value.Value is int value)
                {
                    return value;
                }
            }

            return null;
        }

        private static AttributeArgumentSyntax? Argument(AttributeSyntax? attribute, int index)
        {
            if (attribute?.ArgumentList is not { } list)
            {
                return null;
            }

            int position = 0;
            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                if (argument.NameEquals is null && argument.NameColon is null)
                {
                    if (position++ == index)
                    {
                        return argument;
                    }
                }
            }

            return null;
        }

        private static AttributeArgumentSyntax? NamedArgument(AttributeSyntax? attribute, string name) =>
            attribute?.ArgumentList?.Arguments.FirstOrDefault(argument => argument.NameEquals?.Name.Identifier.ValueText == name);

        private static NetworkDeclaration Failed(INamedTypeSymbol symbol, TypeDeclarationSyntax syntax, Exception exception) =>
            new(
                new TypeIdentity(string.Empty, default, "class", symbol.Name, symbol.Name),
                IsPartial: true,
                IsGeneric: false,
                NonPartialContainingType: null,
                ContainingTypeLocation: default,
                Identifier: new SourceSpan(syntax.SyntaxTree, syntax.Identifier.Span),
                Loss: 0,
                LossArgument: default,
                UnrollThreshold: 0,
                UnrollThresholdArgument: default,
                Layers: default,
                UserMembers: default,
                SupportsGeneratedCode: true,
                MissingSupport: string.Empty,
                IsRepeatedApplication: false,
                InternalError: exception.GetType().Name + " while reading the declaration: " + exception.Message);
    }
}
