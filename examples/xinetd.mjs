// xinetd: the services xinetd would run from a configuration, defaults merged.
// Run: node examples/xinetd.mjs
import { MemoryFileSource } from 'fwconf/core';
import { effective, parse } from 'fwconf/xinetd';

const doc = parse(`defaults
{
	instances = 30
}

service thp-pasv
{
	type        = UNLISTED
	socket_type = stream
	protocol    = tcp
	port        = 22
	wait        = no
	user        = nobody
	server      = /usr/sbin/thpot
}
`, { file: '/etc/xinetd.conf' });
// The files xinetd would look at (the server must exist); a NodeFileSource reads the real ones.
const config = effective(doc, { files: new MemoryFileSource({ '/usr/sbin/thpot': '' }) });
for (const s of config.services) console.log(`service ${s.name}: port ${s.attributes.port}, server ${s.attributes.server}`);
for (const d of config.diagnostics) console.log('diagnostic:', d.message);
