using System.Security.Cryptography;
using System.Text;

namespace Custom.Data.Ingest;

/// <summary>
/// SHA-256 over the ordered input files — each file's path relative to the data folder (with '/' separators),
/// a NUL, its length as 8 little-endian bytes, then its bytes — so a renamed, reordered, added or changed file all
/// give another fingerprint.
/// </summary>
public static class DataFingerprint
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="files"/> (in the order given) under <paramref name="root"/>.</summary>
    public static string Compute(string root, IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        Span<byte> length = stackalloc byte[8];
        foreach (string file in files)
        {
            string name = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData([0]);
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, stream.Length);
            hash.AppendData(length);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
