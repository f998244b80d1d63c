// The syntax errors a Lezer grammar (the PromQL and LogQL parsers the projects publish) finds in
// a query: every error node, with where it starts.
import type { LRParser } from '@lezer/lr';

export function syntaxErrors(parser: LRParser, query: string): string[] {
  const errors: string[] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: "${query.slice(node.from, node.from + 20)}"`);
    },
  });
  return errors;
}
