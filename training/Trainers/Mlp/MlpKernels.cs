using System.Numerics;
using System.Runtime.InteropServices;

namespace Custom.Training.Trainers.Mlp;

/// The perceptron's hot loop: a layer's pre-activations, four units at a time so each slice of the input is loaded
/// once for four weight rows. Sums in a fixed order for a given vector width, so results repeat on the same machine.
internal static class MlpKernels
{
    /// output[u] = biases[u] + weights[u, ·] · input, weights row-major (output.Length rows of input.Length).
    public static void Affine(ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, ReadOnlySpan<float> input, Span<float> output)
    {
        int n = input.Length;
        int width = Vector<float>.Count;
        int vectorEnd = n - n % width;
        var x = MemoryMarshal.Cast<float, Vector<float>>(input[..vectorEnd]);
        int u = 0;
        for (; u + 4 <= output.Length; u += 4)
        {
            var r0 = MemoryMarshal.Cast<float, Vector<float>>(weights.Slice(u * n, vectorEnd));
            var r1 = MemoryMarshal.Cast<float, Vector<float>>(weights.Slice((u + 1) * n, vectorEnd));
            var r2 = MemoryMarshal.Cast<float, Vector<float>>(weights.Slice((u + 2) * n, vectorEnd));
            var r3 = MemoryMarshal.Cast<float, Vector<float>>(weights.Slice((u + 3) * n, vectorEnd));
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int j = 0; j < x.Length; j++)
            {
                var xj = x[j];
                a0 += r0[j] * xj;
                a1 += r1[j] * xj;
                a2 += r2[j] * xj;
                a3 += r3[j] * xj;
            }

            output[u] = biases[u] + Vector.Sum(a0) + Tail(weights.Slice(u * n, n), input, vectorEnd);
            output[u + 1] = biases[u + 1] + Vector.Sum(a1) + Tail(weights.Slice((u + 1) * n, n), input, vectorEnd);
            output[u + 2] = biases[u + 2] + Vector.Sum(a2) + Tail(weights.Slice((u + 2) * n, n), input, vectorEnd);
            output[u + 3] = biases[u + 3] + Vector.Sum(a3) + Tail(weights.Slice((u + 3) * n, n), input, vectorEnd);
        }

        for (; u < output.Length; u++)
        {
            var row = MemoryMarshal.Cast<float, Vector<float>>(weights.Slice(u * n, vectorEnd));
            Vector<float> a = default;
            for (int j = 0; j < x.Length; j++)
            {
                a += row[j] * x[j];
            }

            output[u] = biases[u] + Vector.Sum(a) + Tail(weights.Slice(u * n, n), input, vectorEnd);
        }
    }

    private static float Tail(ReadOnlySpan<float> row, ReadOnlySpan<float> input, int from)
    {
        float sum = 0;
        for (int j = from; j < input.Length; j++)
        {
            sum += row[j] * input[j];
        }

        return sum;
    }

    /// result[u, ·] = Σ_b coefficients[u, b] · rows[b]: a layer's weight gradient over a batch (coefficients row-major,
    /// one row of <paramref name="stride"/> per unit, the first rows.Length used). Each slice of a result row stays in
    /// registers across the batch, and rows with a zero coefficient are skipped.
    public static void WeightedSums(ReadOnlySpan<float> coefficients, int stride, ReadOnlySpan<float[]> rows, Span<float> result)
    {
        int n = rows[0].Length;
        int units = result.Length / n;
        int width = Vector<float>.Count;
        int block = 4 * width;
        int blockEnd = n - n % block;
        for (int u = 0; u < units; u++)
        {
            var target = result.Slice(u * n, n);
            for (int start = 0; start < blockEnd; start += block)
            {
                Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int b = 0; b < rows.Length; b++)
                {
                    float c = coefficients[u * stride + b];
                    if (c == 0)
                    {
                        continue;
                    }

                    var x = MemoryMarshal.Cast<float, Vector<float>>(rows[b].AsSpan(start, block));
                    var cv = new Vector<float>(c);
                    a0 += x[0] * cv;
                    a1 += x[1] * cv;
                    a2 += x[2] * cv;
                    a3 += x[3] * cv;
                }

                var output = MemoryMarshal.Cast<float, Vector<float>>(target.Slice(start, block));
                output[0] = a0;
                output[1] = a1;
                output[2] = a2;
                output[3] = a3;
            }

            for (int j = blockEnd; j < n; j++)
            {
                float sum = 0;
                for (int b = 0; b < rows.Length; b++)
                {
                    sum += coefficients[u * stride + b] * rows[b][j];
                }

                target[j] = sum;
            }
        }
    }
}
