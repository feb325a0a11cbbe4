/**
 * The expression language, explained once above the steps (not under every field): what it
 * knows and a few examples to copy. The server parses expressions and never runs them as code.
 */
export function ExpressionHelp() {
  return (
    <details className="expression-help" data-testid="expression-help">
      <summary>Writing expressions</summary>
      <p>
        Use columns by name (<code>"unit price"</code> in double quotes when a name has spaces), numbers,{" "}
        <code>'text'</code> in single quotes, <code>+ - * / %</code>, <code>||</code> to join text, comparisons (
        <code>= != &lt; &lt;= &gt; &gt;=</code>) and <code>and or not</code>.
      </p>
      <p>
        Functions: upper, lower, trim, length, substr, replace, concat, text, round, abs, floor, ceil, coalesce, if,
        is_null, year, month, day.
      </p>
      <table className="list-table">
        <caption>Examples</caption>
        <thead>
          <tr>
            <th scope="col">Expression</th>
            <th scope="col">Gives</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <code>round(amount * 1.2, 2)</code>
            </td>
            <td>the amount plus 20 %, to the cent</td>
          </tr>
          <tr>
            <td>
              <code>qty * "unit price"</code>
            </td>
            <td>a line total from two columns</td>
          </tr>
          <tr>
            <td>
              <code>upper(trim(city))</code>
            </td>
            <td>the city, tidied and in capitals</td>
          </tr>
          <tr>
            <td>
              <code>if(amount &gt; 100, 'large', 'small')</code>
            </td>
            <td>a label by size</td>
          </tr>
          <tr>
            <td>
              <code>coalesce(discount, 0)</code>
            </td>
            <td>0 where the discount is empty</td>
          </tr>
        </tbody>
      </table>
    </details>
  );
}
