using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Custom.Audio.NumPy;

/// <summary>A NumPy array read from a .npy stream: float64 or float32 (either byte order), C or Fortran order.</summary>
internal sealed partial class NpyArray
{
    private NpyArray(int[] shape, double[] values)
    {
        Shape = shape;
        Values = values;
    }

    public int[] Shape { get; }

    /// Values in C (row-major) order, as double.
    public double[] Values { get; }

    /// Reads one array; a malformed file is an <see cref="InvalidDataException"/> naming what is wrong.
    public static NpyArray Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.ASCII, leaveOpen: true);
        var magic = reader.ReadBytes(6);
        if (!magic.AsSpan().SequenceEqual(NpyWriter.Magic))
        {
            throw new InvalidDataException("not a .npy array (no \\x93NUMPY magic)");
        }

        byte major = reader.ReadByte();
        reader.ReadByte();
        int headerLength = major == 1 ? reader.ReadUInt16() : checked((int)reader.ReadUInt32());
        string header = Encoding.ASCII.GetString(reader.ReadBytes(headerLength));
        string descr = Field(DescrPattern(), header, "descr");
        bool fortran = Field(FortranPattern(), header, "fortran_order") == "True";
        int[] shape = Field(ShapePattern(), header, "shape")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        long count = shape.Aggregate(1L, (a, d) => a * d);
        int size = descr[1..] switch
        {
            "f8" => 8,
            "f4" => 4,
            _ => throw new InvalidDataException($"array type '{descr}' is not float64 or float32"),
        };
        bool little = descr[0] is '<' or '|' or '=';
        var bytes = reader.ReadBytes(checked((int)(count * size)));
        if (bytes.Length != count * size)
        {
            throw new InvalidDataException($"array of shape ({string.Join(", ", shape)}) is cut short");
        }

        var values = new double[count];
        for (long i = 0; i < count; i++)
        {
            var span = bytes.AsSpan((int)(i * size), size);
            values[i] = (size, little) switch
            {
                (8, true) => BinaryPrimitives.ReadDoubleLittleEndian(span),
                (8, false) => BinaryPrimitives.ReadDoubleBigEndian(span),
                (4, true) => BinaryPrimitives.ReadSingleLittleEndian(span),
                _ => BinaryPrimitives.ReadSingleBigEndian(span),
            };
        }

        return new NpyArray(shape, fortran && shape.Length == 2 ? Transpose(values, shape) : values);
    }

    private static double[] Transpose(double[] columnMajor, int[] shape)
    {
        int rows = shape[0], columns = shape[1];
        var rowMajor = new double[columnMajor.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                rowMajor[(r * columns) + c] = columnMajor[(c * rows) + r];
            }
        }

        return rowMajor;
    }

    private static string Field(Regex pattern, string header, string name)
    {
        var match = pattern.Match(header);
        return match.Success ? match.Groups[1].Value : throw new InvalidDataException($"the .npy header has no '{name}'");
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([<>|=][a-z]\d+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
