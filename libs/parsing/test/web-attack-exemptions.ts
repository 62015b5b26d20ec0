/**
 * Lines of the payload lists that are not an attack on their own (SOURCE.md: "fuzzing lists, not
 * curated labelled data"), left out of the must-flag assertion and counted as `exempt`. Each was
 * read and judged; a new miss that is an attack fails the test instead of joining this list.
 */
export const notAnAttack: Readonly<Record<string, readonly string[]>> = {
  // SQL keywords and function names alone (update, like, having, bfilename), single characters and
  // punctuation, numbers and percentages, probe markers (sqlvuln, sqlattempt1), a bare comment marker,
  // character soup, fragments that only work inside a longer payload ('sleep 50' without a separator,
  // password:*/=1--) and two mangled lines (char%4039%41%2b%40SELECT, an overlong-encoded NUL padding that
  // decodes to no SQL).
  'seclists/Fuzzing/Databases/SQLi/Generic-SQLi.txt': [
    'update', 'delete', 'like', 'insert', '*|', 'asc', '(||6)', '0', '21 %', 'limit', 'PRINT', ' --', '3.10E+17', '&',
    '//', 'truncate', 'tz_offset', 'sqlvuln', '||6', '26 %', '(sqlvuln)', '%20\'sleep%2050\'', 'as', ',@variable',
    '(sqlattempt2)', '|', 'having', 'a\'', 'char%4039%41%2b%40SELECT', 'order by', 'bfilename', '*/*',
    ' -- &password=', 'select', '29 %', '(', 'replace', '%7C', '/', 'desc', '||\'6', ')', 'password:*/=1--',
    'distinct', 'to_timestamp_tz', '+sqlvuln', 'sqlvuln;', '28 %', '@variable', '//*', '%2A%7C', '?', '!', '\'', 'or',
    'procedure', 'handler', '<>"\'%;)(&+', '\'sqlattempt1', '%28', '%29', '%26', '%21',
    '%C0%80%27%C0%80%C0%80%C0%80O%C0%82R%C0%80%C0%801%C0%80%C0%A11',
  ],
  // Fragments of split vectors that carry no markup or script on their own.
  'seclists/Fuzzing/XSS/robot-friendly/XSS-RSNAKE.txt': [
    'a="get";', '<? echo(\'<SCR)\';',
  ],
  // Bare script and data-file names (config.php, install.php, db.php, passwd): as a parameter value they are
  // how many sites route pages, so they say nothing without a traversal or an absolute path.
  'seclists/Fuzzing/LFI/LFI-Jhaddix.txt': [
    '/admin/install.php', '/config.asp', 'config.asp', 'config.inc.php', 'config.js', '_config.php', 'config.php',
    '/core/config.php', 'database.asp', 'database.js', 'database.php', 'data.php', 'dbase.php a', 'db.php',
    'install.php', '.pass', 'pass.dat', 'passwd', 'passwd.dat', 'users.db.php',
  ],
  // The list's fuzzing tokens: single characters and punctuation, numbers and boundary values, SQL keywords
  // alone, TRUE/NULL, printf format strings (%x%n...), SMTP and mail-header injection (Bcc:, MAIL FROM:) and
  // CRLF header injection, which no web rule covers, tag-reflection probes without a tag a browser acts on
  // (<foo>, <<<, xsstest"<>'), escape characters alone (\0, \t, \\), placeholders (http://<yourservername>/)
  // and the mangled |nid\n.
  'seclists/Fuzzing/UnixAttacks.fuzzdb.txt': [
    '!', '!\'', '!@#$%%^#$%#$@#$%$$@#$%^^**(()', '!@#0%^#0##018387@#0^^**(()', '"', '"\\t"', '#', '#\'', '#xA',
    '#xA#xD', '#xD', '#xD#xA', '$NULL', '$null', '%',
    '%#0123456x%08x%x%s%p%d%n%o%u%c%h%l%q%j%z%Z%t%i%e%g%f%a%C%S%08x%%', '%00', '%00/', '%01%02%03%04%0a%0d%0aADSF',
    '%08x',
    '%0aDATA%0afoo%0a%2e%0aMAIL+FROM:+<youremail>%0aRCPT+TO:+<youremail>%0aDATA%0aFrom:+<youremail>%0aTo:+<youremail>%0aSubject:+tst%0afoo%0a%2e%0a',
    '%0d',
    '%0d%0aDATA%0d%0afoo%0d%0a%2e%0d%0aMAIL+FROM:+<youremail>%0d%0aRCPT+TO:+<youremail>%0d%0aDATA%0d%0aFrom:+<youremail>%0d%0aTo:+<youremail>%0d%0aSubject:+test%0d%0afoo%0d%0a%2e%0d%0a',
    '%0d%0aX-Injection-Header:%20AttackValue', '%20', '%20\'sleep%2050\'', '%20d', '%20n', '%20s', '%20x', '%20|',
    '%21', '%2500', '%250a', '%26', '%28', '%29', '%2A', '%2A%7C', '%2C', '%3C', '%3C%3F', '%5C', '%5C/', '%60',
    '%7C', '%7f', '%99999999999s',
    '%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A',
    '%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E%E',
    '%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F%F',
    '%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G%G',
    '%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X%X',
    '%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a',
    '%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d ',
    '%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e%e',
    '%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f%f',
    '%ff',
    '%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g%g',
    '%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i%i',
    '%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o%o',
    '%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p%p',
    '%s%p%x%d',
    '%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s',
    '%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u%u',
    '%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x%x',
    '&', '&LT', '&LT;', '&id', '&lt', '&lt;', '&lt;&gt;&quot;\'%;)(&amp;+', '\'', '\' ;', '\'sqlattempt1', '(',
    '(\')', '(sqlattempt2)', ')', '))))))))))', '*', '*\'', '*/*', '*|', '+', '+%00', ',@variable', '-', '--',
    '--\';', '-1', '-1.0', '-2', '-20', '-268435455', '/', '/%00/', '/%2A', '/\'', '/,%ENV,/', '//', '//*', '0', '00',
    '0xfffffff', '1', '1.0', '2', '2147483647', '268435455', '65536', ';', '<', '<!', '</foo>', '<<', '<<<',
    '<>"\'%;)(&+', '<?', '<foo></foo>', '<youremail>%0aBcc:<youremail>', '<youremail>%0aCc:<youremail>',
    '<youremail>%0d%0aBcc:<youremail>', '<youremail>%0d%0aCc:<youremail>', '=', '=\'', '=--', '=;', '>', '?x=',
    '?x="', '?x=>', '?x=|', '@\'', '@*', '@variable', 'A',
    'ABCD|%8.8x|%8.8x|%8.8x|%8.8x|%8.8x|%8.8x|%8.8x|%8.8x|%8.8x|%8.8x|', 'FALSE', 'NULL', 'PRINT', 'TRUE', 'XXXXX.%p',
    '[\']', '\\', '\\"blah', '\\\'', '\\0', '\\00', '\\00\\00', '\\00\\00\\00', '\\0\\0', '\\0\\0\\0', '\\\\',
    '\\\\/', '\\\\\\\\*', '\\\\\\\\?\\\\', '\\t', '^\'', '`', 'http://<yourservername>/', 'id%00', 'id%00|', 'insert',
    'like', 'limit', 'null', 'or', 'something%00html', 'update', 'xsstest', 'xsstest%00"<>\'', '|nid\\n', '||', '}',
  ],
  // The list's |\nid\n with its first backslash lost (|nid\n): no separator reaches a command.
  'payloadsallthethings/Command Injection/Intruder/command-execution-unix.txt': [
    '|nid\\n',
  ],
  // Separators and quotes alone, newline escapes alone, and bare words that are also ordinary parameter
  // values (dir, ls, pwd, route, sysinfo).
  'payloadsallthethings/Command Injection/Intruder/command_exec.txt': [
    '`', '|| ', '| ', '; ', '\'', '\'"', '"', '"\'', '& ', '&& ', '%0a', '%0a%0d', 'dir', 'ls', '\\n', 'pwd', '\\r',
    '\\r\\n', 'route', 'sysinfo',
  ],
};
