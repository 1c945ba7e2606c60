using System.Globalization;
using Temporalio.Api.Enums.V1;
using static MetaRewarding.InMemoryTemporal.Engine.VisibilityQueryLexer;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// Temporal's visibility query language (the list filter the Web UI, <c>temporal workflow list --query</c> and
/// <c>ListWorkflowsAsync</c> send), evaluated in memory: comparisons (<c>= != &lt; &lt;= &gt; &gt;=</c>),
/// <c>[NOT] IN (...)</c>, <c>[NOT] BETWEEN a AND b</c>, <c>STARTS_WITH</c>, <c>IS [NOT] NULL</c>, <c>AND</c>,
/// <c>OR</c>, <c>NOT</c> and parentheses, over the system attributes (<see cref="VisibilityRecord"/>) and custom
/// search attributes; then an optional <c>ORDER BY attr [ASC|DESC]</c> and <c>GROUP BY ExecutionStatus</c> (counts).
/// Strings take single or double quotes. Anything malformed is INVALID_ARGUMENT naming the position.
/// </summary>
internal sealed class VisibilityQuery
{
    private readonly Node? filter;

    private VisibilityQuery(Node? filter, IReadOnlyList<string> attributes, string? groupBy, string? orderBy, bool orderDescending)
    {
        this.filter = filter;
        Attributes = attributes;
        GroupBy = groupBy;
        OrderBy = orderBy;
        OrderDescending = orderDescending;
    }

    /// <summary>Every attribute name the filter uses (the engine checks custom ones exist).</summary>
    public IReadOnlyList<string> Attributes { get; }

    /// <summary><c>ExecutionStatus</c> when the query ends in <c>GROUP BY ExecutionStatus</c>, else null.</summary>
    public string? GroupBy { get; }

    /// <summary>The ORDER BY attribute, or null for the default order (newest start first).</summary>
    public string? OrderBy { get; }

    public bool OrderDescending { get; }

    public static VisibilityQuery Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return new VisibilityQuery(null, [], null, null, false);
        }
        var parser = new Parser(query, Tokenize(query));
        return parser.ParseQuery();
    }

    /// <summary>Whether a workflow whose attribute values <paramref name="attribute"/> gives (null = absent) matches.</summary>
    public bool Matches(Func<string, object?> attribute) => filter is null || filter.Evaluate(attribute);

    /// <summary>Whether a workflow of this type, id and status matches (for callers with only those three).</summary>
    public bool Matches(string workflowType, string workflowId, WorkflowExecutionStatus status) => Matches(name => name switch
    {
        "WorkflowType" => workflowType,
        "WorkflowId" => workflowId,
        "ExecutionStatus" => VisibilityRecord.StatusName(status),
        _ => null,
    });

    private abstract record Node
    {
        public abstract bool Evaluate(Func<string, object?> attribute);
    }

    private sealed record And(Node Left, Node Right) : Node
    {
        public override bool Evaluate(Func<string, object?> attribute) => Left.Evaluate(attribute) && Right.Evaluate(attribute);
    }

    private sealed record Or(Node Left, Node Right) : Node
    {
        public override bool Evaluate(Func<string, object?> attribute) => Left.Evaluate(attribute) || Right.Evaluate(attribute);
    }

    private sealed record Not(Node Inner) : Node
    {
        public override bool Evaluate(Func<string, object?> attribute) => !Inner.Evaluate(attribute);
    }

    private sealed record Compare(string Attribute, string Operator, Token Value) : Node
    {
        public override bool Evaluate(Func<string, object?> attribute)
        {
            var actual = attribute(Attribute);
            if (actual is null)
            {
                return Operator == "!=";
            }
            if (actual is IReadOnlyList<string> list)
            {
                return Operator switch
                {
                    "=" => list.Contains(Value.Text),
                    "!=" => !list.Contains(Value.Text),
                    _ => throw ServerErrors.InvalidArgument($"invalid visibility query: {Attribute} is a list; compare it with = or IN, not {Operator}."),
                };
            }
            var order = CompareValues(Attribute, actual, Value);
            return Operator switch
            {
                "=" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                ">=" => order >= 0,
                _ => throw new InvalidOperationException(Operator),
            };
        }
    }

    private sealed record In(string Attribute, IReadOnlyList<Token> Values) : Node
    {
        public override bool Evaluate(Func<string, object?> attribute)
        {
            var actual = attribute(Attribute);
            return actual switch
            {
                null => false,
                IReadOnlyList<string> list => Values.Any(v => list.Contains(v.Text)),
                _ => Values.Any(v => CompareValues(Attribute, actual, v) == 0),
            };
        }
    }

    private sealed record Between(string Attribute, Token Low, Token High) : Node
    {
        public override bool Evaluate(Func<string, object?> attribute) =>
            attribute(Attribute) is { } actual and not IReadOnlyList<string>
            && CompareValues(Attribute, actual, Low) >= 0 && CompareValues(Attribute, actual, High) <= 0;
    }

    private sealed record StartsWith(string Attribute, Token Prefix) : Node
    {
        public override bool Evaluate(Func<string, object?> attribute) =>
            attribute(Attribute) is string text && text.StartsWith(Prefix.Text, StringComparison.Ordinal);
    }

    private sealed record IsNull(string Attribute) : Node
    {
        public override bool Evaluate(Func<string, object?> attribute) => attribute(Attribute) is null or "";
    }

    /// <summary>Orders an attribute's value against a literal, reading the literal as the value's type.</summary>
    private static int CompareValues(string attribute, object actual, Token literal)
    {
        switch (actual)
        {
            case string text:
                return string.CompareOrdinal(text, literal.Text);
            case DateTimeOffset time:
                return time.CompareTo(ParseTime(attribute, literal));
            case bool flag:
                return bool.TryParse(literal.Text, out var other)
                    ? flag.CompareTo(other)
                    : throw ServerErrors.InvalidArgument($"invalid visibility query: {attribute} is a Bool; {literal} is not true or false.");
            case long or double or int:
                return double.TryParse(literal.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? Convert.ToDouble(actual, CultureInfo.InvariantCulture).CompareTo(number)
                    : throw ServerErrors.InvalidArgument($"invalid visibility query: {attribute} is a number; {literal} is not.");
            default:
                return string.CompareOrdinal(Convert.ToString(actual, CultureInfo.InvariantCulture), literal.Text);
        }
    }

    private static DateTimeOffset ParseTime(string attribute, Token literal) =>
        DateTimeOffset.TryParse(literal.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw ServerErrors.InvalidArgument($"invalid visibility query: {attribute} is a Datetime; {literal} is not a date and time (use RFC 3339, e.g. '2026-12-02T10:00:00Z').");

    /// <summary>Recursive descent: OR of ANDs of (NOT) predicates or parenthesised filters.</summary>
    private sealed class Parser(string text, List<Token> tokens)
    {
        private readonly List<string> attributes = [];
        private int index;

        private Token Current => tokens[index];

        public VisibilityQuery ParseQuery()
        {
            Node? filter = null;
            if (!Current.IsKeyword("ORDER") && !Current.IsKeyword("GROUP"))
            {
                filter = ParseOr();
            }
            string? groupBy = null, orderBy = null;
            var descending = false;
            while (Current.Kind != Kind.End)
            {
                if (Current.IsKeyword("GROUP"))
                {
                    index++;
                    ExpectKeyword("BY");
                    groupBy = ExpectName();
                    if (groupBy != "ExecutionStatus")
                    {
                        throw Error($"GROUP BY supports ExecutionStatus only, not {groupBy}");
                    }
                }
                else if (Current.IsKeyword("ORDER"))
                {
                    index++;
                    ExpectKeyword("BY");
                    orderBy = ExpectName();
                    if (Current.IsKeyword("DESC") || Current.IsKeyword("ASC"))
                    {
                        descending = Current.IsKeyword("DESC");
                        index++;
                    }
                }
                else
                {
                    throw Error($"expected AND, OR, ORDER BY, GROUP BY or the end, found {Current}");
                }
            }
            return new VisibilityQuery(filter, attributes, groupBy, orderBy, descending);
        }

        private Node ParseOr()
        {
            var left = ParseAnd();
            while (Current.IsKeyword("OR"))
            {
                index++;
                left = new Or(left, ParseAnd());
            }
            return left;
        }

        private Node ParseAnd()
        {
            var left = ParseUnary();
            while (Current.IsKeyword("AND"))
            {
                index++;
                left = new And(left, ParseUnary());
            }
            return left;
        }

        private Node ParseUnary()
        {
            if (Current.IsKeyword("NOT"))
            {
                index++;
                return new Not(ParseUnary());
            }
            if (Current.Kind == Kind.Open)
            {
                index++;
                var inner = ParseOr();
                Expect(Kind.Close, "')'");
                return inner;
            }
            return ParsePredicate();
        }

        private Node ParsePredicate()
        {
            var name = ExpectName();
            attributes.Add(name);
            if (Current.Kind == Kind.Operator)
            {
                var op = tokens[index++].Text;
                return new Compare(name, op, Checked(name, ExpectValue()));
            }
            var negated = false;
            if (Current.IsKeyword("NOT"))
            {
                negated = true;
                index++;
            }
            if (Current.IsKeyword("IN"))
            {
                index++;
                Expect(Kind.Open, "'(' after IN");
                var values = new List<Token> { Checked(name, ExpectValue()) };
                while (Current.Kind == Kind.Comma)
                {
                    index++;
                    values.Add(Checked(name, ExpectValue()));
                }
                Expect(Kind.Close, "')' closing the IN list");
                return Negate(new In(name, values), negated);
            }
            if (Current.IsKeyword("BETWEEN"))
            {
                index++;
                var low = Checked(name, ExpectValue());
                ExpectKeyword("AND");
                return Negate(new Between(name, low, Checked(name, ExpectValue())), negated);
            }
            if (!negated && Current.IsKeyword("STARTS_WITH"))
            {
                index++;
                return new StartsWith(name, ExpectValue());
            }
            if (!negated && Current.IsKeyword("IS"))
            {
                index++;
                var isNot = Current.IsKeyword("NOT");
                if (isNot)
                {
                    index++;
                }
                ExpectKeyword("NULL");
                return Negate(new IsNull(name), isNot);
            }
            throw Error($"expected an operator (=, !=, <, <=, >, >=, IN, BETWEEN, STARTS_WITH, IS NULL) after {name}, found {Current}");
        }

        private static Node Negate(Node node, bool negated) => negated ? new Not(node) : node;

        /// <summary>System attributes have fixed types: their literals are checked now, not on the first matching run.</summary>
        private Token Checked(string attribute, Token literal)
        {
            if (attribute == "ExecutionStatus" && VisibilityRecord.ParseStatus(literal.Text) is null)
            {
                throw Error($"unknown ExecutionStatus {literal}; use Running, Completed, Failed, Canceled, Terminated, ContinuedAsNew or TimedOut");
            }
            if (VisibilityRecord.SystemTypes.TryGetValue(attribute, out var type))
            {
                if (type == IndexedValueType.Datetime)
                {
                    ParseTime(attribute, literal);
                }
                else if (type == IndexedValueType.Int && !long.TryParse(literal.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                {
                    throw Error($"{attribute} is an Int; {literal} is not");
                }
            }
            return literal;
        }

        private Token ExpectValue()
        {
            var token = Current;
            if (token.Kind is Kind.String or Kind.Number || token.IsKeyword("true") || token.IsKeyword("false"))
            {
                index++;
                return token;
            }
            throw Error($"expected a value (a quoted string, a number, true or false), found {token}");
        }

        private string ExpectName()
        {
            var token = Current;
            if (token.Kind != Kind.Name)
            {
                throw Error($"expected a search attribute name, found {token}");
            }
            index++;
            return token.Text;
        }

        private void ExpectKeyword(string keyword)
        {
            if (!Current.IsKeyword(keyword))
            {
                throw Error($"expected {keyword}, found {Current}");
            }
            index++;
        }

        private void Expect(Kind kind, string what)
        {
            if (Current.Kind != kind)
            {
                throw Error($"expected {what}, found {Current}");
            }
            index++;
        }

        private global::Grpc.Core.RpcException Error(string message) =>
            ServerErrors.InvalidArgument($"invalid visibility query \"{text}\": {message}.");
    }
}
