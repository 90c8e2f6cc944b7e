/** The keys help screen. Props only. */
import { Box, Text } from "ink";

/** Every key the dashboard understands, with what it does. */
export const KEY_HELP: readonly (readonly [keys: string, action: string])[] = [
  ["↑ ↓  k j", "select an instance"],
  ["PgUp PgDn", "move the selection by 10"],
  ["Enter", "open the selected instance's detail"],
  ["Esc", "back to the overview; clears the filter"],
  ["/", "filter by text (name, symbol, exchange, strategy, mode, status); Enter keeps it"],
  ["s", "sort by the next key: name, status, equity, today, unrealised, mode"],
  ["S", "reverse the sort order"],
  [
    "p r t e",
    "with --control: pause, resume, stop or exit (sell) the selected instance; y confirms",
  ],
  ["?", "this help (any of ? Esc closes it)"],
  ["q  Ctrl-C", "quit"],
];

/** The help screen, with the refresh period. */
export function HelpView(props: { refreshMs: number }) {
  return (
    <Box flexDirection="column" paddingLeft={1}>
      <Text bold>Keys</Text>
      {KEY_HELP.map(([keys, action]) => (
        <Text key={keys} wrap="truncate">{`  ${keys.padEnd(12)}${action}`}</Text>
      ))}
      <Text dimColor wrap="wrap">
        {`Read-only view of data/trading.db, refreshed every ${props.refreshMs} ms. ` +
          'Status "stale": no heartbeat for 3 timeframes or 60 s, whichever comes first.'}
      </Text>
    </Box>
  );
}
