// sshd_config: edit one setting, add a Match block, check the file and ask what sshd would use.
// Run: node examples/sshd.mjs
import { check, effective, parse } from 'fwconf/sshd';

const text = `# /etc/ssh/sshd_config
Include /etc/ssh/sshd_config.d/*.conf
Port 22
PermitRootLogin prohibit-password
`;
const doc = parse(text, { file: 'sshd_config' });
doc.set('Port', '2201'); // rewrites that line only, in the file's style
doc.match({ user: 'alice' }).set('PasswordAuthentication', 'no');
process.stdout.write(doc.toString());
for (const d of check(doc)) console.log('diagnostic:', d.message);
const forAlice = effective(doc, { connection: { user: 'alice', host: 'h', addr: '192.0.2.1' } });
console.log('alice: port', forAlice.get('port'), 'passwordauthentication', forAlice.get('passwordauthentication'));
