using Custom.Training.Onnx.Protos;
using Google.Protobuf;
using static Custom.Training.Onnx.Protos.TensorProto.Types;

namespace Custom.Training.Onnx;

/// A small builder over the ONNX protobuf messages: typed inputs and outputs, constant initializers, nodes with
/// attributes, opset imports. <see cref="Build"/> checks the structural rules before anything is written.
internal sealed class OnnxGraph
{
    public const string MlDomain = "ai.onnx.ml";

    private const long IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly Dictionary<string, long> _opsets = new(StringComparer.Ordinal);
    private int _nextName;

    public OnnxGraph(string name)
    {
        _graph = new GraphProto { Name = name };
    }

    /// Declares an operator set; every domain a node uses must be declared.
    public OnnxGraph Opset(string domain, long version)
    {
        _opsets[domain] = version;
        return this;
    }

    /// A graph input; a dimension is a fixed size (int or long) or a symbolic name (string).
    public string Input(string name, DataType type, params object[] dims)
    {
        _graph.Input.Add(Value(name, type, dims));
        return name;
    }

    public void Output(string name, DataType type, params object[] dims) => _graph.Output.Add(Value(name, type, dims));

    public string Constant(float[] values, params long[] dims) => Constant(NewName("const"), values, dims);

    public string Constant(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// A float initializer stored as raw little-endian bytes: compact, and shared rather than copied when the graph is
    /// cloned, which matters for large weight tensors.
    public string RawConstant(ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = NewName("const"), DataType = (int)DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Constant(long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = NewName("const"), DataType = (int)DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// Adds a node with one output and returns the output's name (generated unless given).
    public string Node(string opType, string[] inputs, string? output = null, string domain = "", params (string Name, object Value)[] attributes) =>
        NodeWithOutputs(opType, inputs, [output ?? NewName(opType)], domain, attributes)[0];

    public string[] NodeWithOutputs(string opType, string[] inputs, string[] outputs, string domain = "", params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Domain = domain, Name = NewName(opType + "_node") };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (name, value) in attributes)
        {
            node.Attribute.Add(Attribute(name, value));
        }

        _graph.Node.Add(node);
        return outputs;
    }

    /// Gives the node output <paramref name="tensor"/> the name <paramref name="name"/> (in the nodes that read it too):
    /// a graph output named this way costs no Identity node, which ONNX Runtime runs as a copy.
    public void Rename(string tensor, string name)
    {
        var producer = _graph.Node.SingleOrDefault(n => n.Output.Contains(tensor))
            ?? throw new InvalidOperationException($"no node writes '{tensor}'");
        producer.Output[producer.Output.IndexOf(tensor)] = name;
        foreach (var node in _graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == tensor)
                {
                    node.Input[i] = name;
                }
            }
        }
    }

    /// The model, after checking every node of it; an invalid graph is an exception that lists every problem. Nodes and
    /// initializers that no output depends on are then left out.
    public ModelProto Build(string producerVersion, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "custom",
            ProducerVersion = producerVersion,
            Graph = _graph.Clone(),
        };
        foreach (var (domain, version) in _opsets)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        }

        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        var problems = OnnxValidator.Problems(model);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("invalid ONNX graph: " + string.Join("; ", problems));
        }

        DropUnread(model.Graph);
        return model;
    }

    /// A name no other tensor, initializer or node of this graph has.
    public string NewName(string prefix) => $"{prefix}_{_nextName++}";

    // A model part may read the graph inputs directly rather than the shared features; the nodes and initializers that
    // then nothing reads are left out of the model instead of being computed on every call.
    private static void DropUnread(GraphProto graph)
    {
        var read = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (node.Output.Any(read.Contains))
            {
                read.UnionWith(node.Input);
            }
            else
            {
                graph.Node.RemoveAt(i);
            }
        }

        for (int i = graph.Initializer.Count - 1; i >= 0; i--)
        {
            if (!read.Contains(graph.Initializer[i].Name))
            {
                graph.Initializer.RemoveAt(i);
            }
        }
    }

    private static ValueInfoProto Value(string name, DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"dimension {dim} must be a size or a symbol"),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static AttributeProto Attribute(string name, object value) => value switch
    {
        float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
        int i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
        long l => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = l },
        string s => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(s) },
        float[] fs => WithFloats(name, fs),
        long[] ls => WithInts(name, ls),
        string[] ss => WithStrings(name, ss),
        _ => throw new ArgumentException($"attribute {name}: unsupported value type {value.GetType().Name}"),
    };

    private static AttributeProto WithFloats(string name, float[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    private static AttributeProto WithInts(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static AttributeProto WithStrings(string name, string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }
}
