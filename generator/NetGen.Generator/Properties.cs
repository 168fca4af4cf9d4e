using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("NetGen.Generator.Tests")]
