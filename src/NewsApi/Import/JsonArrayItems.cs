using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace NewsApi.Import;

/// <summary>One element of a JSON array: its bytes, or only its length when it was larger than the limit.</summary>
internal readonly record struct ArrayElement(int Position, byte[]? Bytes, long Length);

/// <summary>
/// Splits a JSON array into its elements as the bytes arrive, keeping at most the item limit of any one element in
/// memory: an element that grows past the limit is scanned to its end and dropped, reported by its length only. The
/// scan knows only strings, escapes and nesting; each element's own JSON is checked when it is parsed, so a broken
/// element is that item's error. A break in the array itself (no '[', a missing comma, an early end) is a JsonException.
/// </summary>
internal static class JsonArrayItems
{
    public static async IAsyncEnumerable<ArrayElement> Read(Stream body, int maxItemBytes, [EnumeratorCancellation] CancellationToken ct)
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var scan = new Scan();
        var position = 0;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(ct);
                var buffer = read.Buffer;
                var elements = new List<ArrayElement>();
                var consumed = Advance(ref scan, ref buffer, maxItemBytes, ref position, elements);
                foreach (var element in elements)
                    yield return element;
                if (scan.State == State.Done)
                    break;
                if (read.IsCompleted)
                {
                    // A number, true, false or null may end with the body; anything else is cut short.
                    if (scan.State == State.InElement && scan.Depth == 0 && !scan.InString && scan.Length > 0)
                        throw new JsonException($"The JSON array ends after item {position + 1} without its closing ']'.");
                    throw new JsonException(scan.State == State.BeforeArray
                        ? "The body is not a JSON array: it must start with '['."
                        : $"The JSON array ends inside or after item {position + (scan.State == State.InElement ? 1 : 0)} without its closing ']'.");
                }
                reader.AdvanceTo(consumed, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    enum State { BeforeArray, BeforeElement, InElement, AfterElement, Done }

    struct Scan
    {
        public State State;
        public int Depth;
        public bool InString, Escaped, Skipping;
        public long Length; // bytes of the current element scanned so far
        public bool FirstElement;
    }

    /// <summary>Scans what the buffer holds; returns how far the pipe may let go (the start of an element still being kept).</summary>
    static SequencePosition Advance(ref Scan s, ref ReadOnlySequence<byte> buffer, int max, ref int position, List<ArrayElement> elements)
    {
        var reader = new SequenceReader<byte>(buffer);
        SequencePosition? elementStart = null;
        if (s.State == State.InElement && !s.Skipping)
        {
            // The pipe gives back the element kept so far: go on where its scan stopped.
            elementStart = buffer.Start;
            reader.Advance(s.Length);
        }
        while (s.State != State.Done && reader.TryPeek(out var b))
        {
            switch (s.State)
            {
                case State.BeforeArray:
                    if (IsSpace(b) || b is 0xEF or 0xBB or 0xBF) { reader.Advance(1); break; } // a byte order mark may lead
                    if (b == (byte)'[') { reader.Advance(1); s.State = State.BeforeElement; s.FirstElement = true; break; }
                    throw new JsonException("The body is not a JSON array: it must start with '['.");
                case State.BeforeElement:
                    if (IsSpace(b)) { reader.Advance(1); break; }
                    if (b == (byte)']' && s.FirstElement) { reader.Advance(1); s.State = State.Done; break; }
                    if (b is (byte)']' or (byte)',')
                        throw new JsonException($"The JSON array is missing item {position + 1} before '{(char)b}'.");
                    s.State = State.InElement;
                    s.Depth = 0; s.InString = false; s.Escaped = false; s.Skipping = false; s.Length = 0;
                    elementStart = reader.Position;
                    break;
                case State.InElement:
                    if (!s.InString && s.Depth == 0 && s.Length > 0 && (b is (byte)',' or (byte)']' || IsSpace(b)))
                    {
                        position++;
                        elements.Add(s.Skipping
                            ? new ArrayElement(position, null, s.Length)
                            : new ArrayElement(position, buffer.Slice(elementStart!.Value, reader.Position).ToArray(), s.Length));
                        elementStart = null;
                        s.State = State.AfterElement;
                        break;
                    }
                    Step(ref s, ref reader);
                    if (!s.Skipping && s.Length > max)
                    {
                        // Past the limit: nothing of the element is kept from here on.
                        s.Skipping = true;
                        elementStart = null;
                    }
                    break;
                case State.AfterElement:
                    if (IsSpace(b)) { reader.Advance(1); break; }
                    reader.Advance(1);
                    if (b == (byte)',') { s.State = State.BeforeElement; s.FirstElement = false; break; }
                    if (b == (byte)']') { s.State = State.Done; break; }
                    throw new JsonException($"The JSON array needs ',' or ']' after item {position}, not '{(char)b}'.");
            }
        }
        var consumed = elementStart ?? reader.Position;
        buffer = buffer.Slice(consumed);
        return consumed;
    }

    /// <summary>One byte of an element, or a run of string text at once.</summary>
    static void Step(ref Scan s, ref SequenceReader<byte> reader)
    {
        if (s.InString && !s.Escaped)
        {
            // Most of an article is string text: jump to the next quote or backslash.
            var span = reader.UnreadSpan;
            var run = span.IndexOfAny((byte)'"', (byte)'\\');
            if (run < 0)
            {
                reader.Advance(span.Length);
                s.Length += span.Length;
                return;
            }
            reader.Advance(run);
            s.Length += run;
        }
        reader.TryRead(out var b);
        s.Length++;
        if (s.InString)
        {
            if (s.Escaped)
                s.Escaped = false;
            else if (b == (byte)'\\')
                s.Escaped = true;
            else if (b == (byte)'"')
                s.InString = false;
            return;
        }
        switch (b)
        {
            case (byte)'"': s.InString = true; break;
            case (byte)'{' or (byte)'[': s.Depth++; break;
            case (byte)'}' or (byte)']':
                if (--s.Depth < 0)
                    throw new JsonException("The JSON array has a closing bracket without its opening one.");
                break;
        }
    }

    static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
