using System.Buffers;

namespace Custom.Serve.Api;

/// A request body read whole into a pooled buffer, refused past the configured limit. Dispose returns the buffer.
internal sealed class RequestBody : IDisposable
{
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// A read-only stream over the body (valid until Dispose).
    public Stream AsStream() => new MemoryStream(_buffer, 0, Length, writable: false);

    public static async Task<RequestBody> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        long? declared = request.ContentLength;
        if (declared > limit)
        {
            throw TooLarge(declared.Value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), limit);
        }

        // Without a declared length, read up to one byte past the limit to know whether it was exceeded.
        int capacity = (int)Math.Min(declared ?? 16 * 1024, limit + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 1));
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        throw TooLarge("more than " + limit.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), limit);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            if (length > limit)
            {
                throw TooLarge("more than " + limit.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), limit);
            }

            return new RequestBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static RequestProblem TooLarge(string size, long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Payload too large",
            $"the body is {size} bytes; this server accepts at most {limit.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes per request (custom serve --max-body-mb); send fewer clips per request");
}
