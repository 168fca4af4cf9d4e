using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Interop;

/// <summary>
/// Valid files mutated at random (numbers in the header replaced, bytes overwritten, the file cut, the header length
/// replaced) load or throw <see cref="SafeTensorsException"/>; nothing else, and a refusal leaves every parameter as it was.
/// </summary>
public sealed class SafeTensorsFuzzTests
{
    private static readonly byte[] Valid = ValidFile();
    private static readonly string ValidHeader = SafeTensorsFiles.Header(Valid);
    private static readonly int NumbersInHeader = Regex.Count(ValidHeader, "[0-9]+");
    private static readonly int HeaderEnd = 8 + SafeTensorsFiles.HeaderLength(Valid);

    /// <summary>What is done to the file, in order: header numbers first, then bytes.</summary>
    private sealed record Mutation(string Kind, int At, ulong Value)
    {
        public override string ToString() => $"{Kind} at {At} = {Value}";
    }

    private static readonly Gen<ulong> Numbers = Gen.OneOf(Gen.ULong[0, 100], Gen.ULong, Gen.Const((ulong)long.MaxValue), Gen.Const(ulong.MaxValue));

    private static readonly Gen<Mutation> NumberEdits =
        Gen.Select(Gen.Int[0, NumbersInHeader - 1], Numbers, (at, value) => new Mutation("number", at, value));

    private static readonly Gen<Mutation> ByteEdits = Gen.OneOf(
        Gen.Int[0, Valid.Length - 1].Select(at => new Mutation("truncate", at, 0)),
        Gen.Select(Gen.Int[0, HeaderEnd - 1], Gen.Byte, (at, value) => new Mutation("header byte", at, value)),
        Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Byte, (at, value) => new Mutation("any byte", at, value)),
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, 1], (at, sign) => new Mutation("header length", at, sign == 0 ? 1UL << (8 * at) : ulong.MaxValue >> at)),
        Numbers.Select(value => new Mutation("header length", 0, value)));

    [Fact]
    public void A_mutated_file_loads_or_is_refused_with_the_parameters_unchanged()
    {
        Gen.Select(NumberEdits.Array[0, 3], ByteEdits.Array[0, 3], Gen.Bool).Sample(
            (numbers, bytes, seekable) =>
            {
                byte[] file = Apply(numbers, bytes);
                var network = new XorNet();
                network.InitializeParameters(12);
                uint[] before = SafeTensorsTests.Bits(network.Parameters);
                try
                {
                    SafeTensors.Load(network, seekable ? new MemoryStream(file) : new NonSeekableStream(file));
                }
                catch (SafeTensorsException)
                {
                    Assert.Equal(before, SafeTensorsTests.Bits(network.Parameters));
                }
            },
            iter: 20_000);
    }

    private static byte[] Apply(Mutation[] numbers, Mutation[] bytes)
    {
        string header = ValidHeader;
        foreach (Mutation edit in numbers)
        {
            Match match = Regex.Matches(header, "[0-9]+")[edit.At % Regex.Count(header, "[0-9]+")];
            header = string.Concat(header.AsSpan(0, match.Index), edit.Value.ToString(CultureInfo.InvariantCulture), header.AsSpan(match.Index + match.Length));
        }

        byte[] file = SafeTensorsFiles.Compose(Encoding.UTF8.GetBytes(header), SafeTensorsFiles.Data(Valid));
        foreach (Mutation edit in bytes)
        {
            switch (edit.Kind)
            {
                case "truncate":
                    file = file[..Math.Min(edit.At, file.Length)];
                    break;
                case "header length" when file.Length >= 8:
                    BinaryPrimitives.WriteUInt64LittleEndian(file, edit.Value);
                    break;
                case "header byte" or "any byte" when edit.At < file.Length:
                    file[edit.At] = (byte)edit.Value;
                    break;
            }
        }

        return file;
    }

    private static byte[] ValidFile()
    {
        var network = new XorNet();
        network.InitializeParameters(3);
        return SafeTensorsFiles.Save(network);
    }
}
