using System.Globalization;
using System.Text;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>Tokens of Temporal's visibility (list filter) language: names, quoted strings, numbers, operators, parentheses.</summary>
internal static class VisibilityQueryLexer
{
    public enum Kind { Name, String, Number, Operator, Open, Close, Comma, End }

    public readonly record struct Token(Kind Kind, string Text, int Position)
    {
        public bool IsKeyword(string keyword) => Kind == Kind.Name && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

        public override string ToString() => Kind switch
        {
            Kind.End => "the end of the query",
            Kind.String => $"'{Text}' at position {Position + 1}",
            _ => $"\"{Text}\" at position {Position + 1}",
        };
    }

    public static List<Token> Tokenize(string query)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < query.Length)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '\'' or '"')
            {
                var start = i++;
                var text = new StringBuilder();
                while (true)
                {
                    if (i >= query.Length)
                    {
                        throw ServerErrors.InvalidArgument($"invalid visibility query: the string starting at position {start + 1} is not closed with {c}.");
                    }
                    if (query[i] == '\\' && i + 1 < query.Length)
                    {
                        text.Append(query[i + 1]);
                        i += 2;
                    }
                    else if (query[i] == c)
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        text.Append(query[i++]);
                    }
                }
                tokens.Add(new Token(Kind.String, text.ToString(), start));
            }
            else if (c == '`')
            {
                var end = query.IndexOf('`', i + 1);
                if (end < 0)
                {
                    throw ServerErrors.InvalidArgument($"invalid visibility query: the name quoted with ` at position {i + 1} is not closed.");
                }
                tokens.Add(new Token(Kind.Name, query[(i + 1)..end], i));
                i = end + 1;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < query.Length && (char.IsLetterOrDigit(query[i]) || query[i] is '_' or '.'))
                {
                    i++;
                }
                tokens.Add(new Token(Kind.Name, query[start..i], start));
            }
            else if (char.IsDigit(c) || (c is '-' or '+' && i + 1 < query.Length && char.IsDigit(query[i + 1])))
            {
                var start = i++;
                while (i < query.Length && (char.IsDigit(query[i]) || query[i] is '.' or 'e' or 'E'))
                {
                    i++;
                }
                var text = query[start..i];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    throw ServerErrors.InvalidArgument($"invalid visibility query: \"{text}\" at position {start + 1} is not a number.");
                }
                tokens.Add(new Token(Kind.Number, text, start));
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var start = i++;
                if (i < query.Length && (query[i] == '=' || (c == '<' && query[i] == '>')))
                {
                    i++;
                }
                var op = query[start..i];
                if (op == "!")
                {
                    throw ServerErrors.InvalidArgument($"invalid visibility query: \"!\" at position {start + 1} must be \"!=\".");
                }
                tokens.Add(new Token(Kind.Operator, op == "<>" ? "!=" : op, start));
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new Token(c == '(' ? Kind.Open : c == ')' ? Kind.Close : Kind.Comma, c.ToString(), i));
                i++;
            }
            else
            {
                throw ServerErrors.InvalidArgument($"invalid visibility query: unexpected character '{c}' at position {i + 1}.");
            }
        }
        tokens.Add(new Token(Kind.End, "", query.Length));
        return tokens;
    }
}
