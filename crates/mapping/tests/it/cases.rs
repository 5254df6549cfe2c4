//! Data-driven cases: template, request, expected output.

use super::{check, check_err, req};
use lambda_sync_mapping::Request;

#[test]
fn references() {
    let r = req();
    check("plain text", &r, "plain text");
    check("$input.params('username')", &r, "user1");
    check("${input.params('username')}!", &r, "user1!");
    check("$input.params('limit')", &r, "10");
    check("$input.params('tag')", &r, "b");
    check("$input.params('x-trace')", &r, "t-1");
    check("[$input.params('missing')]", &r, "[]");
    check("$missing", &r, "$missing");
    check("$!missing.", &r, ".");
    check("${missing}", &r, "${missing}");
    check("$!{missing}x", &r, "x");
    check("$ 5 and $1 and $.", &r, "$ 5 and $1 and $.");
    check("a.$context.stage.", &r, "a.test-invoke-stage.");
    check("$context.stage.b", &r, "$context.stage.b");
    check("$context.requestId", &r, "req-1");
    check("$context.identity.sourceIp", &r, "192.0.2.1");
    check(
        "$context.httpMethod $context.resourcePath",
        &r,
        "GET /user/{username}",
    );
    check("$stageVariables.env", &r, "dev");
    check(
        "email@example.com #not a directive",
        &r,
        "email@example.com #not a directive",
    );
}

#[test]
fn params_maps() {
    let r = req();
    check("$input.params().path.get('username')", &r, "user1");
    check("$input.params().querystring.get('tag')", &r, "b");
    check("$input.params().header.get('x-TRACE')", &r, "t-1");
    check("$input.params().header.containsKey('X-Trace')", &r, "true");
    check(
        "$input.params().querystring.containsKey('nope')",
        &r,
        "false",
    );
    check(
        "#foreach($t in $input.params().keySet())$t#if($foreach.hasNext),#end#end",
        &r,
        "path,querystring,header",
    );
    check(
        "#set($p = $input.params().querystring)#foreach($k in $p.keySet())$k=$p.get($k);#end",
        &r,
        "limit=10;tag=b;",
    );
}

#[test]
fn body() {
    let r = req();
    check(
        "$input.json('$')",
        &r,
        r#"{"name":"Rex","tags":["x","y"],"owner":{"id":7}}"#,
    );
    check("$input.json('$.owner.id')", &r, "7");
    check("$input.json('$.tags[1]')", &r, r#""y""#);
    check("$input.json('$[\"name\"]')", &r, r#""Rex""#);
    check("$input.json('$.nope')", &r, "null");
    check("$input.path('$').name", &r, "Rex");
    check("$input.path('$.tags').size()", &r, "2");
    check("$input.path('$.owner')", &r, "{id=7}");
    check(
        "$input.body",
        &r,
        r#"{"name": "Rex", "tags": ["x", "y"], "owner": {"id": 7}}"#,
    );
    let empty = Request::new("POST", "/");
    check("$input.json('$')", &empty, "{}");
    let text = Request::new("POST", "/").with_body("not \"json\"");
    check("$input.json('$')", &text, r#""not \"json\"""#);
    check("$input.path('$')", &text, "not \"json\"");
    check_err(
        "$input.json('$..x')",
        &r,
        "1:7: unsupported JSONPath `$..x`: use `$`, `$.a.b`, `$['a']` or `$.a[0]`",
    );
}

#[test]
fn util() {
    let r = Request::new("GET", "/").with_query("q", "it's \"a\"/\\ b\n\u{e9}");
    check(
        "$util.escapeJavaScript($input.params('q'))",
        &r,
        r#"it\'s \"a\"\/\\ b\n\u00E9"#,
    );
    check(
        r#"$util.escapeJavaScript($input.params('q')).replaceAll("\\'","'")"#,
        &r,
        r#"it's \"a\"\/\\ b\n\u00E9"#,
    );
    check("$util.urlEncode('a b&c')", &r, "a+b%26c");
    check("$util.urlDecode('a+b%26c')", &r, "a b&c");
    check("$util.base64Encode('hello')", &r, "aGVsbG8=");
    check("$util.base64Decode('aGVsbG8=')", &r, "hello");
    check("$util.parseJson('{\"a\":[1,2]}').a[1]", &r, "2");
    check("$util.nope('x')", &r, "$util.nope('x')");
    check_err(
        "$util.parseJson('{')",
        &r,
        "1:6: $util.parseJson: not JSON: EOF while parsing an object at line 1 column 1",
    );
}

#[test]
fn directives() {
    let r = req();
    check("#set($a = 'x')$a", &r, "x");
    check("#set($a = \"<$input.params('limit')>\")$a", &r, "<10>");
    check("#set($a = 'it''s')$a", &r, "it's");
    check("#set($n = 2 + 3 * 4)$n", &r, "14");
    check("#set($n = 7 / 2)$n #set($m = 7 % 2)$m", &r, "3 1");
    check("#set($f = 1.5 * 2)$f", &r, "3.0");
    check("#set($s = 'a' + 1)$s", &r, "a1");
    check(
        "#if($input.params('limit') == '10')yes#{else}no#end",
        &r,
        "yes",
    );
    check("#if($nope)a#elseif(1 < 2 && !false)b#else c#end", &r, "b");
    check(
        "#if($nope or false)a#elseif(not true)b#else c#end",
        &r,
        " c",
    );
    check(
        "#if('') empty string is true #end",
        &r,
        " empty string is true ",
    );
    check(
        "#foreach($i in [1..3])$i#if($foreach.hasNext),#end#end",
        &r,
        "1,2,3",
    );
    check(
        "#foreach($i in [3..1])$velocityCount:$i #end",
        &r,
        "1:3 2:2 3:1 ",
    );
    check(
        "#foreach($i in [1, 2, 3])#if($i == 2)#break#end$i#end",
        &r,
        "1",
    );
    check("#foreach($v in {'a': 1, 'b': 2})$v#end", &r, "12");
    check("#foreach($i in $nope)x#end", &r, "");
    check("a#stop b", &r, "a");
    check("## comment\nx #* block\ncomment *#y", &r, "x y");
    check("#[[$not #if]]#", &r, "$not #if");
    check(
        "#set($l = [])#set($d = $l.add('a'))#set($d = $l.add('b'))$l $l.size()",
        &r,
        "[a, b] 2",
    );
    check(
        "#set($m = {})#set($d = $m.put('k', 'v'))$m.k $m.get('k')",
        &r,
        "v v",
    );
    check(
        "#set($m = {'a': {'b': 1}})#set($m.a.b = 2)$m",
        &r,
        "{a={b=2}}",
    );
    check("#set($x = 'keep')#set($x = $nope)$x", &r, "keep");
    check("'$nope' #set($x = \"$!nope\")[$x]", &r, "'$nope' []");
    check(
        "#if([1, [2]] == [1, [2]])a#end#if({'k': 1} == {'k': 1})b#end#if([1] != [2])c#end",
        &r,
        "abc",
    );
    check(
        "#if(1 == 1.0)a#end#if('1' == 1)b#end#if('a' < 'b')c#end#if(1 < 'x')d#end",
        &r,
        "abc",
    );
    check(
        "#set($l = [1, 'a', [2]])$l.contains('a') $l.indexOf([2]) $l.contains(3)",
        &r,
        "true 2 false",
    );
}

#[test]
fn line_gobbling() {
    let r = req();
    check("{\n  #set($a = 1)\n  \"a\": $a\n}", &r, "{\n  \"a\": 1\n}");
    check(
        "[\n#foreach($i in [1..2])\n  $i#if($foreach.hasNext),#end\n\n#end\n]",
        &r,
        "[\n  1,\n\n  2\n\n]",
    );
    check("#if(true)\nyes\n#else\nno\n#end\n", &r, "yes\n");
}

#[test]
fn strings() {
    let r = req();
    check(
        "#set($s = ' Ab c ')$s.trim().toLowerCase()|$s.length()|$s.toUpperCase()",
        &r,
        "ab c|6| AB C ",
    );
    check(
        "#set($s = 'a,b,,c,,')$s.split(',')|$s.split(',').size()",
        &r,
        "[a, b, , c]|4",
    );
    check(
        "#set($s = 'hello')$s.substring(1, 3) $s.indexOf('l') $s.contains('ell') $s.startsWith('he')",
        &r,
        "el 2 true true",
    );
    check(
        "#set($s = 'a1b22')$s.replaceAll('[0-9]+', '#') $s.replaceFirst('([a-z])', '<$1>') $s.matches('[a-z0-9]+')",
        &r,
        "a#b# <a>1b22 true",
    );
    check("#set($s = 'a.b')$s.replace('.', '/')", &r, "a/b");
    check("#set($s = 'é😀x')$s.length() $s.charAt(1)", &r, "3 😀");
}

#[test]
fn errors_point_at_the_problem() {
    let r = req();
    check_err(
        "ok\n#if($a)x",
        &r,
        "2:1: syntax error: `#if` is never closed: add `#end`",
    );
    check_err(
        "ok\n  #end",
        &r,
        "2:3: syntax error: `#end` without an open `#if` or `#foreach`",
    );
    check_err(
        "#else",
        &r,
        "1:1: syntax error: `#else`/`#elseif` without an open `#if`",
    );
    check_err(
        "a #macro(x)#end",
        &r,
        "1:3: unsupported: the `#macro` directive is not supported",
    );
    check_err(
        "#parse('x.vm')",
        &r,
        "1:1: unsupported: the `#parse` directive is not supported",
    );
    check_err(
        "#include('x')",
        &r,
        "1:1: unsupported: the `#include` directive is not supported",
    );
    check_err(
        "#set $a = 1)",
        &r,
        "1:1: syntax error: `#set` must be followed by `(`",
    );
    check_err(
        "#set($a 1)",
        &r,
        "1:9: syntax error: expected `=` in `#set`",
    );
    check_err(
        "#set($a = 'x)",
        &r,
        "1:11: syntax error: unterminated string literal",
    );
    check_err(
        "#if($a ==)x#end",
        &r,
        "1:10: syntax error: unexpected `)` in an expression",
    );
    check_err("${a", &r, "1:1: syntax error: expected `}` to close `${`");
    check_err(
        "#* never closed",
        &r,
        "1:1: syntax error: unterminated comment `#*`: add `*#`",
    );
    check_err(
        "x\n #foreach($a of $b)#end",
        &r,
        "2:14: syntax error: expected `in` in `#foreach($x in ...)`",
    );
    check_err(
        "#set($a = 9223372036854775807 + 1)",
        &r,
        "1:31: integer overflow",
    );
    check_err(
        "$util.base64Decode('@@')",
        &r,
        "1:6: $util.base64Decode: `@` at byte 0 is not base64",
    );
}
