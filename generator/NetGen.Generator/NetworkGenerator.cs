using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Model;

namespace NetGen.Generator;

/// <summary>
/// Compiles each <c>[Network]</c> class to specialized forward and backward code.
/// Pipeline: find the types carrying <c>[Network]</c> → parse their attributes into a <see cref="NetworkDeclaration"/>
/// (no symbols kept) → validate into layer specs or diagnostics → lay the buffers out into a <see cref="NetworkSpec"/> →
/// emit one source file per valid network, one layer emitter per layer kind.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class NetworkGenerator : IIncrementalGenerator
{
    internal const string NetworkAttributeName = "NetGen.NetworkAttribute";

    /// <summary>Writes a spec's source; tests replace it to prove that an emitter failure becomes NG9999.</summary>
    internal Func<NetworkSpec, System.Threading.CancellationToken, string> EmitSource { get; init; } = Emitter.Emit;

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ValidationResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkAttributeName,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                transform: static (context, cancellationToken) => Parser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Declaration)
            .Select(static (declaration, cancellationToken) => Validator.Validate(declaration, cancellationToken))
            .WithTrackingName(TrackingNames.Validation);

        context.RegisterSourceOutput(
            results.SelectMany(static (result, _) => result.Diagnostics.AsSpan().ToImmutableArray()),
            static (context, diagnostic) => context.ReportDiagnostic(diagnostic.ToDiagnostic()));

        IncrementalValuesProvider<NetworkSpec> specs = results
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(TrackingNames.Spec);

        context.RegisterSourceOutput(specs, (context, spec) => EmitOrReport(context, spec));
    }

    /// <summary>Adds the network's source; a bug in the emitter becomes NG9999 instead of the compiler's CS8785.</summary>
    private void EmitOrReport(SourceProductionContext context, NetworkSpec spec)
    {
        string source;
        try
        {
            source = EmitSource(spec, context.CancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Diagnostics.DiagnosticDescriptors.InternalError,
                Location.None,
                spec.Type.Name,
                exception.GetType().Name + " while writing the code: " + exception.Message));
            return;
        }

        context.AddSource(Emitter.HintName(spec), source);
    }

    /// <summary>Step names that tests use to check what the incremental driver cached.</summary>
    internal static class TrackingNames
    {
        public const string Declaration = nameof(Declaration);
        public const string Validation = nameof(Validation);
        public const string Spec = nameof(Spec);
    }
}
