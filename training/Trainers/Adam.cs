using System.Numerics.Tensors;

namespace Custom.Training.Trainers;

/// Adam (Kingma and Ba) with its usual constants, as the catalog's own networks (mlp, attention) take their steps.
internal static class Adam
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    /// <summary>
    /// Step <paramref name="step"/> (from 1) over one whole parameter array, vectorized; <paramref name="gradients"/>
    /// is used as scratch. The gradient is <paramref name="gradientScale"/> times the array passed plus
    /// <paramref name="l2"/>·θ (coupled, scikit-learn's convention, so Adam rescales the penalty), and
    /// <paramref name="decay"/>·θ joins the step after Adam's scaling (decoupled weight decay).
    /// </summary>
    public static void Step(float[] parameters, float[] gradients, float[] moments, float[] squares, int step, float gradientScale, float rate, float l2 = 0, float decay = 0)
    {
        float correction1 = 1 - MathF.Pow(Beta1, step);
        float correction2 = 1 - MathF.Pow(Beta2, step);
        Span<float> g = gradients;
        TensorPrimitives.Multiply(g, gradientScale, g);
        if (l2 != 0)
        {
            TensorPrimitives.MultiplyAdd(parameters, l2, g, g);
        }

        TensorPrimitives.Multiply(moments, Beta1, moments);
        TensorPrimitives.MultiplyAdd(g, 1 - Beta1, moments, moments);
        TensorPrimitives.Multiply(squares, Beta2, squares);
        TensorPrimitives.Multiply(g, g, g);
        TensorPrimitives.MultiplyAdd(g, 1 - Beta2, squares, squares);

        // step = (m / c1) / (√(v / c2) + ε) + decay · θ, written into g. Without decay, 1 / c1 joins the rate,
        // which saves a pass over the array.
        TensorPrimitives.Multiply(squares, 1 / correction2, g);
        TensorPrimitives.Sqrt(g, g);
        TensorPrimitives.Add(g, Epsilon, g);
        TensorPrimitives.Divide(moments, g, g);
        if (decay == 0)
        {
            TensorPrimitives.MultiplyAdd(g, -rate / correction1, parameters, parameters);
            return;
        }

        TensorPrimitives.Multiply(g, 1 / correction1, g);
        TensorPrimitives.MultiplyAdd(parameters, decay, g, g);
        TensorPrimitives.MultiplyAdd(g, -rate, parameters, parameters);
    }
}
