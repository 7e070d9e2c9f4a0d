// ufw status: the rules as data, and the ufw command that creates each one.
// Run: node examples/ufw.mjs
import { createCommand, parse, ruleToSpec } from 'fwconf/ufw';

const status = parse(`Status: active

To                         Action      From
--                         ------      ----
2201/tcp                   ALLOW       Anywhere
80/tcp                     ALLOW       Anywhere
2201/tcp (v6)              ALLOW       Anywhere (v6)
80/tcp (v6)                ALLOW       Anywhere (v6)
`);
for (const rule of status.rules) console.log(`line ${rule.line}: ${createCommand(ruleToSpec(rule)).text}`);
