//! Unit tests with small in-memory WSDL/XSD files.

use super::*;
use crate::diag::{Diagnostic, Kind, Severity, Span};
use crate::wsdl::model::{MaxOccurs, TypeRef};

const WSDL: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<definitions targetNamespace="urn:vim25"
   xmlns="http://schemas.xmlsoap.org/wsdl/"
   xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
   xmlns:vim25="urn:vim25"
   xmlns:xsd="http://www.w3.org/2001/XMLSchema"
>
   <types>
      <schema targetNamespace="urn:vim25" xmlns="http://www.w3.org/2001/XMLSchema"
         xmlns:vim25="urn:vim25" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
         <include schemaLocation="types.xsd" />
         <element name="Login" type="vim25:LoginRequestType" />
         <element name="LoginResponse">
            <complexType>
               <sequence>
                  <element name="returnval" type="vim25:UserSession" />
               </sequence>
            </complexType>
         </element>
         <element name="Logout" type="vim25:LogoutRequestType" />
         <element name="LogoutResponse">
            <complexType />
         </element>
         <element name="InvalidLoginFault" type="vim25:InvalidLogin" />
         <element name="RuntimeFaultFault" type="vim25:RuntimeFault" />
      </schema>
   </types>
   <message name="LoginRequestMsg">
      <part name="parameters" element="vim25:Login" />
   </message>
   <message name="LoginResponseMsg">
      <part name="parameters" element="vim25:LoginResponse" />
   </message>
   <message name="LogoutRequestMsg">
      <part name="parameters" element="vim25:Logout" />
   </message>
   <message name="LogoutResponseMsg">
      <part name="parameters" element="vim25:LogoutResponse" />
   </message>
   <message name="InvalidLoginFaultMsg">
      <part name="fault" element="vim25:InvalidLoginFault" />
   </message>
   <message name="RuntimeFaultFaultMsg">
      <part name="fault" element="vim25:RuntimeFaultFault" />
   </message>
   <portType name="VimPortType">
      <operation name="Logout">
         <input message="vim25:LogoutRequestMsg" />
         <output message="vim25:LogoutResponseMsg" />
         <fault name="RuntimeFault" message="vim25:RuntimeFaultFaultMsg"/>
      </operation>
      <operation name="Login">
         <input message="vim25:LoginRequestMsg" />
         <output message="vim25:LoginResponseMsg" />
         <fault name="InvalidLoginFault" message="vim25:InvalidLoginFaultMsg"/>
         <fault name="RuntimeFault" message="vim25:RuntimeFaultFaultMsg"/>
      </operation>
   </portType>
   <binding name="VimBinding" type="vim25:VimPortType">
      <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http" />
      <operation name="Login">
         <soap:operation soapAction="urn:vim25/5.5" style="document" />
         <input><soap:body use="literal" /></input>
         <output><soap:body use="literal" /></output>
         <fault name="InvalidLoginFault"><soap:fault name="InvalidLoginFault" use="literal" /></fault>
      </operation>
      <operation name="Logout">
         <soap:operation soapAction="urn:vim25/5.5" style="document" />
      </operation>
   </binding>
</definitions>
"#;

const TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<schema targetNamespace="urn:vim25" xmlns="http://www.w3.org/2001/XMLSchema"
   xmlns:vim25="urn:vim25" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
   <complexType name="DynamicData">
      <sequence>
         <element name="dynamicType" type="xsd:string" minOccurs="0" />
      </sequence>
   </complexType>
   <complexType name="UserSession">
      <complexContent>
         <extension base="vim25:DynamicData">
            <sequence>
               <element name="key" type="xsd:string" />
               <element name="loginTime" type="xsd:dateTime" />
               <element name="status" type="vim25:ManagedEntityStatus" />
               <element name="extensionSession" type="xsd:boolean" minOccurs="0" />
            </sequence>
         </extension>
      </complexContent>
   </complexType>
   <complexType name="ArrayOfUserSession">
      <sequence>
         <element name="UserSession" type="vim25:UserSession" minOccurs="0" maxOccurs="unbounded" />
      </sequence>
   </complexType>
   <complexType name="MethodFault" abstract="true">
      <sequence>
         <element name="faultMessage" type="vim25:DynamicData" minOccurs="0" maxOccurs="3" />
      </sequence>
   </complexType>
   <complexType name="RuntimeFault">
      <complexContent>
         <extension base="vim25:MethodFault">
            <sequence>
            </sequence>
         </extension>
      </complexContent>
   </complexType>
   <complexType name="InvalidLogin">
      <complexContent>
         <extension base="vim25:MethodFault" />
      </complexContent>
   </complexType>
   <simpleType name="ManagedEntityStatus">
      <restriction base="xsd:string">
         <enumeration value="gray" />
         <enumeration value="green" />
      </restriction>
   </simpleType>
   <complexType name="ManagedObjectReference">
      <simpleContent>
         <extension base="xsd:string">
            <attribute name="type" type="xsd:string"/>
         </extension>
      </simpleContent>
   </complexType>
   <complexType name="LoginRequestType">
      <sequence>
         <element name="_this" type="vim25:ManagedObjectReference" />
         <element name="userName" type="xsd:string" />
         <element name="password" type="xsd:string" />
         <element name="locale" type="xsd:string" minOccurs="0" />
      </sequence>
   </complexType>
   <complexType name="LogoutRequestType">
      <sequence>
         <element name="_this" type="vim25:ManagedObjectReference" />
      </sequence>
   </complexType>
</schema>
"#;

struct Run {
    schema: Schema,
    sources: SourceMap,
    diags: Diagnostics,
}

impl Run {
    /// `file:line` of a span.
    fn at(&self, span: Span) -> String {
        let loc = self.sources.location(span);
        loc.rsplit_once(':').map_or(loc.clone(), |(fl, _)| fl.to_string())
    }
    fn only(&self, kind: Kind) -> &Diagnostic {
        let found: Vec<_> = self.diags.list.iter().filter(|d| d.kind == kind).collect();
        assert_eq!(found.len(), 1, "expected one `{kind}`, got:\n{}", self.diags.render_all(&self.sources));
        // Rendering must not panic either.
        let _ = found[0].render(&self.sources);
        found[0]
    }
    fn errors(&self) -> usize {
        self.diags.error_count()
    }
}

fn run(files: &[(&str, &str)]) -> Run {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let schema = read_in_memory(files, &mut sources, &mut diags);
    Run { schema, sources, diags }
}

fn run_default() -> Run {
    run(&[("spec/vim.wsdl", WSDL), ("spec/types.xsd", TYPES)])
}

/// `text` with `from` replaced; the fixture must contain `from` (else the test tests nothing).
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in fixture");
    text.replace(from, to)
}

/// `path:line` of the first occurrence of `needle` in `text`.
fn line_of(path: &str, text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in fixture"));
    format!("{path}:{}", text[..at].matches('\n').count() + 1)
}

#[test]
fn clean_input_has_no_diagnostics() {
    let r = run_default();
    assert!(r.diags.list.is_empty(), "{}", r.diags.render_all(&r.sources));
    assert_eq!(r.schema.target_namespace, "urn:vim25");
    assert_eq!(r.schema.files.len(), 2);
    assert_eq!(r.sources.path(r.schema.files[0]), Path::new("spec/vim.wsdl"));
    assert_eq!(r.sources.path(r.schema.files[1]), Path::new("spec/types.xsd"));
}

#[test]
fn complex_types_extension_arrays_occurs() {
    let r = run_default();
    let names: Vec<_> = r.schema.complex_types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "ArrayOfUserSession",
            "DynamicData",
            "InvalidLogin",
            "LoginRequestType",
            "LogoutRequestType",
            "ManagedObjectReference",
            "MethodFault",
            "RuntimeFault",
            "UserSession"
        ]
    );
    let us = r.schema.complex_type("UserSession").expect("UserSession");
    assert_eq!(us.base, Some(TypeRef::Named("DynamicData".into())));
    assert!(!us.is_abstract);
    let els: Vec<_> = us.elements.iter().map(|e| (e.name.as_str(), e.ty.clone(), e.min_occurs)).collect();
    assert_eq!(
        els,
        [
            ("key", TypeRef::Xsd("string".into()), 1),
            ("loginTime", TypeRef::Xsd("dateTime".into()), 1),
            ("status", TypeRef::Named("ManagedEntityStatus".into()), 1),
            ("extensionSession", TypeRef::Xsd("boolean".into()), 0),
        ]
    );
    assert!(us.elements[3].is_optional() && !us.elements[3].is_array());
    assert_eq!(r.at(us.span), line_of("spec/types.xsd", TYPES, r#"<complexType name="UserSession">"#));
    assert_eq!(r.at(us.elements[1].span), line_of("spec/types.xsd", TYPES, r#"name="loginTime""#));
    // The span covers the whole start tag.
    let text = &r.sources.get(us.span.file).text;
    assert_eq!(&text[us.span.start as usize..us.span.end as usize], r#"<complexType name="UserSession">"#);

    let arr = r.schema.complex_type("ArrayOfUserSession").expect("array");
    assert_eq!(arr.base, None);
    assert_eq!(arr.elements[0].max_occurs, MaxOccurs::Unbounded);
    assert!(arr.elements[0].is_array() && arr.elements[0].is_optional());

    let mf = r.schema.complex_type("MethodFault").expect("MethodFault");
    assert!(mf.is_abstract);
    assert_eq!(mf.elements[0].max_occurs, MaxOccurs::Bounded(3));
    assert!(mf.elements[0].is_array());

    // Empty extension (self-closing) and empty sequence.
    assert_eq!(r.schema.complex_type("InvalidLogin").map(|t| t.elements.len()), Some(0));
    assert_eq!(r.schema.complex_type("RuntimeFault").and_then(|t| t.base.clone()), Some(TypeRef::Named("MethodFault".into())));
    // simpleContent: the base is the XSD type, attributes are not modelled.
    let mor = r.schema.complex_type("ManagedObjectReference").expect("MOR");
    assert_eq!(mor.base, Some(TypeRef::Xsd("string".into())));
    assert!(mor.elements.is_empty());
}

#[test]
fn enums() {
    let r = run_default();
    assert_eq!(r.schema.enums.len(), 1);
    let e = r.schema.enum_type("ManagedEntityStatus").expect("enum");
    assert_eq!(e.values, ["gray", "green"]);
    assert_eq!(r.at(e.span), line_of("spec/types.xsd", TYPES, "<simpleType"));
}

#[test]
fn operations_joined() {
    let r = run_default();
    let names: Vec<_> = r.schema.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Login", "Logout"], "sorted by name, not declaration order");

    let login = r.schema.operation("Login").expect("Login");
    assert_eq!(login.request_type, "LoginRequestType");
    let params: Vec<_> = login.params.iter().map(|p| (p.name.as_str(), p.is_optional())).collect();
    assert_eq!(params, [("userName", false), ("password", false), ("locale", true)]);
    let ret = login.returns.as_ref().expect("Login returns");
    assert_eq!(ret.name, "returnval");
    assert_eq!(ret.ty, TypeRef::Named("UserSession".into()));
    assert_eq!(login.faults, ["InvalidLogin", "RuntimeFault"]);
    assert_eq!(login.soap_action.as_deref(), Some("urn:vim25/5.5"));
    assert_eq!(r.at(login.span), line_of("spec/vim.wsdl", WSDL, r#"<operation name="Login">"#));

    let logout = r.schema.operation("Logout").expect("Logout");
    assert!(logout.params.is_empty());
    assert_eq!(logout.returns, None, "empty response type means void");
    assert_eq!(logout.faults, ["RuntimeFault"]);
    assert_eq!(r.schema.api_version(), Some("5.5"));
}

/// Prefixes are resolved by namespace URI: odd prefixes work, and a familiar prefix bound to
/// another namespace is not mistaken for XML Schema.
#[test]
fn namespace_prefixes_resolved_by_uri() {
    let wsdl = r#"<w:definitions targetNamespace="urn:vim25" xmlns:w="http://schemas.xmlsoap.org/wsdl/"
        xmlns:zz="urn:vim25" xmlns:so="http://schemas.xmlsoap.org/wsdl/soap/" xmlns="urn:unrelated">
  <w:types>
    <s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:xsd="urn:vim25" xmlns="http://www.w3.org/2001/XMLSchema">
      <s:complexType name="Thing">
        <s:sequence>
          <s:element name="a" type="s:int" />
          <s:element name="b" type="xsd:Other" />
          <s:element name="c" type="string" />
          <s:element name="d" type="zz:Other" maxOccurs="unbounded" />
        </s:sequence>
      </s:complexType>
      <complexType name="Other" />
      <s:complexType name="PingRequestType">
        <s:sequence><s:element name="_this" type="zz:Other" /><s:element name="x" type="s:long" /></s:sequence>
      </s:complexType>
      <s:element name="Ping" type="zz:PingRequestType" />
      <s:element name="PingResponse"><s:complexType><s:sequence>
        <s:element name="returnval" type="zz:Thing" minOccurs="0" />
      </s:sequence></s:complexType></s:element>
      <complexType name="NotInSchemaNs" xmlns="urn:unrelated" />
    </s:schema>
  </w:types>
  <w:message name="PingRequestMsg"><w:part name="p" element="zz:Ping" /></w:message>
  <w:message name="PingResponseMsg"><w:part name="p" element="zz:PingResponse" /></w:message>
  <w:portType name="P">
    <w:operation name="Ping"><w:input message="zz:PingRequestMsg" /><w:output message="zz:PingResponseMsg" /></w:operation>
  </w:portType>
  <w:binding name="B" type="zz:P"><w:operation name="Ping"><so:operation soapAction="urn:vim25/9.9" /></w:operation></w:binding>
  <operation name="NotWsdl" />
</w:definitions>
"#;
    let r = run(&[("odd.wsdl", wsdl)]);
    assert!(r.diags.list.is_empty(), "{}", r.diags.render_all(&r.sources));
    let names: Vec<_> = r.schema.complex_types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Other", "PingRequestType", "Thing"], "`NotInSchemaNs` is not an XSD element");
    let thing = r.schema.complex_type("Thing").expect("Thing");
    let tys: Vec<_> = thing.elements.iter().map(|e| e.ty.clone()).collect();
    assert_eq!(
        tys,
        [TypeRef::Xsd("int".into()), TypeRef::Named("Other".into()), TypeRef::Xsd("string".into()), TypeRef::Named("Other".into())]
    );
    let ping = r.schema.operation("Ping").expect("Ping");
    assert_eq!(ping.params.len(), 1);
    assert_eq!(ping.params[0].ty, TypeRef::Xsd("long".into()));
    assert_eq!(ping.returns.as_ref().map(|e| e.ty.clone()), Some(TypeRef::Named("Thing".into())));
    assert_eq!(r.schema.api_version(), Some("9.9"));
    assert_eq!(r.schema.operations.len(), 1);
}

#[test]
fn xml_syntax_error_in_included_file_at_right_line() {
    let bad = edit(
        TYPES,
        r#"<element name="locale" type="xsd:string" minOccurs="0" />
      </sequence>"#,
        r#"<element name="locale" type="xsd:string" minOccurs="0" />
      </sequance>"#,
    );
    let r = run(&[("spec/vim.wsdl", WSDL), ("spec/types.xsd", &bad)]);
    let d = r.only(Kind::WsdlXmlSyntax);
    assert_eq!(d.severity(), Severity::Error);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/types.xsd", &bad, "</sequance>"));
    // The entry file was still read completely, and types before the error are kept.
    assert!(r.schema.complex_type("UserSession").is_some());
    assert!(r.schema.operations.iter().all(|o| o.name != "Login"), "LoginRequestType was not closed");
}

#[test]
fn truncated_file() {
    let cut = &TYPES[..TYPES.find("<complexType name=\"MethodFault\"").expect("fixture") + 22];
    let r = run(&[("spec/vim.wsdl", WSDL), ("spec/types.xsd", cut)]);
    let d = r.only(Kind::WsdlXmlSyntax);
    // quick-xml points at the `<` of the unfinished tag.
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/types.xsd", cut, "<complexType name=\"M"));
    assert!(r.schema.complex_type("ArrayOfUserSession").is_some());

    // Cut between tags: the open elements are reported at the end of the file.
    let cut = &TYPES[..TYPES.find("<complexType name=\"MethodFault\"").expect("fixture")];
    let r = run(&[("spec/types.xsd", cut)]);
    let d = r.only(Kind::WsdlXmlSyntax);
    assert!(d.message.contains("`<schema>` is not closed"), "{}", d.message);
    assert_eq!(d.span.map(|s| s.start as usize), Some(cut.len()));
}

#[test]
fn empty_file_is_an_error() {
    let r = run(&[("a.xsd", "<?xml version=\"1.0\"?>\n<!-- nothing -->\n")]);
    r.only(Kind::WsdlXmlSyntax);
    let r = run(&[("a.xsd", "")]);
    r.only(Kind::WsdlXmlSyntax);
}

#[test]
fn bad_attribute() {
    let bad = edit(TYPES, r#"<element name="key" type="xsd:string" />"#, r#"<element name="key" type=xsd:string />"#);
    let r = run(&[("spec/types.xsd", &bad)]);
    let d = r.only(Kind::WsdlXmlSyntax);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/types.xsd", &bad, "type=xsd:string"));
}

#[test]
fn missing_include() {
    let wsdl = edit(
        WSDL,
        r#"<include schemaLocation="types.xsd" />"#,
        r#"<include schemaLocation="types.xsd" />
         <include schemaLocation="sub/nothere.xsd" />"#,
    );
    let r = run(&[("spec/vim.wsdl", &wsdl), ("spec/types.xsd", TYPES)]);
    let d = r.only(Kind::WsdlMissingInclude);
    assert_eq!(d.severity(), Severity::Error);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/vim.wsdl", &wsdl, "sub/nothere.xsd"));
    assert!(d.label.as_deref().is_some_and(|l| l.contains("spec/sub/nothere.xsd")), "{:?}", d.label);
    assert_eq!(r.schema.operations.len(), 2);
}

#[test]
fn includes_relative_and_read_once() {
    let entry = r#"<schema xmlns="http://www.w3.org/2001/XMLSchema">
  <include schemaLocation="sub/a.xsd" /><include schemaLocation="./b.xsd" /><include schemaLocation="sub/../b.xsd" />
</schema>"#;
    let a = r#"<schema xmlns="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t">
  <include schemaLocation="../b.xsd" /><complexType name="A"><sequence><element name="b" type="t:B" /></sequence></complexType>
</schema>"#;
    let b = r#"<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t"><complexType name="B" /></schema>"#;
    let r = run(&[("x/main.xsd", entry), ("x/sub/a.xsd", a), ("x/b.xsd", b)]);
    assert!(r.diags.list.is_empty(), "{}", r.diags.render_all(&r.sources));
    assert_eq!(r.schema.files.len(), 3);
    assert_eq!(r.schema.complex_types.len(), 2);
    assert_eq!(r.schema.target_namespace, "urn:t", "bare XSD entry: the first schema's namespace");
}

#[test]
fn unknown_type_reference() {
    let bad = edit(TYPES, r#"type="vim25:ManagedEntityStatus""#, r#"type="vim25:NoSuchStatus""#);
    let r = run(&[("spec/vim.wsdl", WSDL), ("spec/types.xsd", &bad)]);
    let d = r.only(Kind::WsdlUnknownType);
    assert_eq!(d.severity(), Severity::Warning);
    let span = d.span.expect("span");
    assert_eq!(r.at(span), line_of("spec/types.xsd", &bad, "NoSuchStatus"));
    assert_eq!(&bad[span.start as usize..span.end as usize], "vim25:NoSuchStatus", "span is the attribute value");
    assert_eq!(r.errors(), 0);

    let bad = edit(TYPES, r#"type="xsd:dateTime""#, r#"type="xsd:dateTyme""#);
    let r = run(&[("spec/vim.wsdl", WSDL), ("spec/types.xsd", &bad)]);
    assert!(r.only(Kind::WsdlUnknownType).message.contains("dateTyme"));
}

#[test]
fn unknown_prefix() {
    let bad = edit(TYPES, r#"type="vim25:ManagedEntityStatus""#, r#"type="nope:ManagedEntityStatus""#);
    let r = run(&[("spec/types.xsd", &bad)]);
    let d = r.only(Kind::WsdlUnknownPrefix);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/types.xsd", &bad, "nope:"));
}

#[test]
fn duplicate_type_keeps_first() {
    let dup = edit(
        TYPES,
        "</schema>",
        r#"   <complexType name="UserSession">
      <sequence><element name="other" type="xsd:string" /></sequence>
   </complexType>
   <simpleType name="DynamicData"><restriction base="xsd:string"><enumeration value="x" /></restriction></simpleType>
</schema>"#,
    );
    let r = run(&[("spec/vim.wsdl", WSDL), ("spec/types.xsd", &dup)]);
    let found: Vec<_> = r.diags.of_kind(Kind::WsdlDuplicateType).collect();
    assert_eq!(found.len(), 2, "{}", r.diags.render_all(&r.sources));
    let second = dup.rfind(r#"<complexType name="UserSession">"#).expect("fixture");
    let line = format!("spec/types.xsd:{}", dup[..second].matches('\n').count() + 1);
    let d = found.iter().find(|d| d.message.contains("complexType `UserSession`")).expect("complexType dup");
    assert_eq!(r.at(d.span.expect("span")), line);
    assert!(d.notes[0].contains(&line_of("spec/types.xsd", &dup, r#"<complexType name="UserSession">"#)));
    assert_eq!(r.schema.complex_type("UserSession").map(|t| t.elements.len()), Some(4), "first kept");
    assert!(found.iter().any(|d| d.message.contains("both a complexType and a simpleType")));
}

#[test]
fn missing_request_type() {
    let bad = edit(TYPES, "LoginRequestType", "LoginRequestTypo");
    let r = run(&[("spec/vim.wsdl", WSDL), ("spec/types.xsd", &bad)]);
    let d = r.only(Kind::WsdlMissingRequestType);
    assert_eq!(d.severity(), Severity::Error);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/vim.wsdl", WSDL, r#"<operation name="Login">"#));
    // The dangling reference itself is reported where it is written.
    let u = r.only(Kind::WsdlUnknownType);
    assert_eq!(r.at(u.span.expect("span")), line_of("spec/vim.wsdl", WSDL, "vim25:LoginRequestType"));
    assert!(r.schema.operation("Login").is_none());
    assert!(r.schema.operation("Logout").is_some());
}

#[test]
fn missing_this() {
    let bad = edit(
        TYPES,
        r#"<element name="_this" type="vim25:ManagedObjectReference" />
         <element name="userName""#,
        r#"<element name="userName""#,
    );
    let r = run(&[("spec/vim.wsdl", WSDL), ("spec/types.xsd", &bad)]);
    let d = r.only(Kind::WsdlMissingThis);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/types.xsd", &bad, r#"<complexType name="LoginRequestType">"#));
    assert_eq!(r.schema.operation("Login").map(|o| o.params.len()), Some(3));
}

#[test]
fn unknown_message_and_element() {
    let bad = edit(
        WSDL,
        r#"<fault name="InvalidLoginFault" message="vim25:InvalidLoginFaultMsg"/>"#,
        r#"<fault name="InvalidLoginFault" message="vim25:NoSuchMsg"/>"#,
    );
    let r = run(&[("spec/vim.wsdl", &bad), ("spec/types.xsd", TYPES)]);
    let d = r.only(Kind::WsdlUnknownMessage);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/vim.wsdl", &bad, "vim25:NoSuchMsg"));
    assert_eq!(r.schema.operation("Login").map(|o| o.faults.clone()), Some(vec!["RuntimeFault".to_string()]));

    let bad = edit(WSDL, r#"element="vim25:LoginResponse""#, r#"element="vim25:LoginResponze""#);
    let r = run(&[("spec/vim.wsdl", &bad), ("spec/types.xsd", TYPES)]);
    let d = r.only(Kind::WsdlUnknownElement);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/vim.wsdl", &bad, "LoginResponze"));
}

#[test]
fn bad_occurs() {
    let bad = edit(TYPES, r#"maxOccurs="3""#, r#"maxOccurs="many""#);
    let r = run(&[("spec/types.xsd", &bad)]);
    let d = r.only(Kind::WsdlBadOccurs);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/types.xsd", &bad, "many"));
}

#[test]
fn unbound_operation_and_duplicate_operation() {
    let bad = edit(
        WSDL,
        r#"      <operation name="Logout">
         <soap:operation"#,
        r#"      <operation name="Logoff">
         <soap:operation"#,
    );
    let r = run(&[("spec/vim.wsdl", &bad), ("spec/types.xsd", TYPES)]);
    assert_eq!(r.only(Kind::WsdlUnboundOperation).severity(), Severity::Warning);
    r.only(Kind::WsdlUnknownBindingOperation);
    assert_eq!(r.schema.operation("Logout").map(|o| o.soap_action.clone()), Some(None));

    let dup = edit(WSDL, "   </portType>", "      <operation name=\"Login\" />\n   </portType>");
    let r = run(&[("spec/vim.wsdl", &dup), ("spec/types.xsd", TYPES)]);
    let d = r.only(Kind::WsdlDuplicateOperation);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/vim.wsdl", &dup, "<operation name=\"Login\" />"));
    assert_eq!(r.schema.operation("Login").map(|o| o.faults.len()), Some(2));
}

#[test]
fn read_dir_entry_selection() {
    let base = std::env::temp_dir().join(format!("vimgen-wsdl-test-{}", std::process::id()));
    let dir = base.join("spec");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&dir).expect("temp dir");

    // No WSDL at all.
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    read_dir(&dir, &mut sources, &mut diags);
    let d = diags.of_kind(Kind::WsdlNoEntry).next().expect("wsdl-no-entry");
    assert!(d.message.contains(&dir.display().to_string()), "{}", d.message);

    // A service-only WSDL is skipped in favour of the one with a portType.
    let service =
        r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"><import location="api.wsdl" /><service name="S" /></definitions>"#;
    std::fs::write(dir.join("apiService.wsdl"), service).expect("write");
    std::fs::write(dir.join("api.wsdl"), WSDL).expect("write");
    std::fs::write(dir.join("types.xsd"), TYPES).expect("write");
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let schema = read_dir(&dir, &mut sources, &mut diags);
    assert!(diags.list.is_empty(), "{}", diags.render_all(&sources));
    assert_eq!(sources.path(schema.files[0]), dir.join("api.wsdl"));
    assert_eq!(schema.operations.len(), 2);

    // Reading the service file as the entry follows its WSDL import.
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let id = sources.add(dir.join("apiService.wsdl"), service.to_string());
    let schema = read_entry(id, &mut sources, &mut |p: &Path| std::fs::read_to_string(p), &mut diags);
    assert!(diags.list.is_empty(), "{}", diags.render_all(&sources));
    assert_eq!(schema.files.len(), 3);
    assert_eq!(schema.operations.len(), 2);

    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn unsupported_constructs_are_warnings() {
    let odd = edit(
        TYPES,
        "</schema>",
        r#"<complexType name="Choosy"><choice><element name="a" type="xsd:int" /></choice></complexType>
</schema>"#,
    );
    let r = run(&[("spec/types.xsd", &odd)]);
    let d = r.only(Kind::WsdlUnsupported);
    assert_eq!(d.severity(), Severity::Warning);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/types.xsd", &odd, "<choice>"));
    assert_eq!(r.errors(), 0);
}

#[test]
fn normalize_paths() {
    assert_eq!(normalize(Path::new("a/./b/../c.xsd")), Path::new("a/c.xsd"));
    assert_eq!(normalize(Path::new("../x.xsd")), Path::new("../x.xsd"));
    assert_eq!(normalize(Path::new("/a/b/../../c")), Path::new("/c"));
}

#[test]
fn unexpected_root() {
    // `schema` in no namespace: not XML Schema, whatever it is called.
    let r = run(&[("a.xsd", "<?xml version=\"1.0\"?>\n<schema><complexType name=\"X\" /></schema>\n")]);
    let d = r.only(Kind::WsdlUnexpectedRoot);
    assert_eq!(r.at(d.span.expect("span")), "a.xsd:2");
    assert!(r.schema.complex_types.is_empty());
}

#[test]
fn rendered_like_rustc() {
    let bad = edit(TYPES, r#"type="vim25:ManagedEntityStatus""#, r#"type="vim25:NoSuchStatus""#);
    let r = run(&[("spec/types.xsd", &bad)]);
    let out = r.only(Kind::WsdlUnknownType).render(&r.sources);
    let line = line_of("spec/types.xsd", &bad, "NoSuchStatus");
    assert!(out.contains(&format!("{line}:")), "{out}");
    assert!(out.contains("^^^^^^^^^^^^^^^^^^"), "caret under the whole reference:\n{out}");
}

#[test]
fn attribute_entities() {
    let ok = edit(TYPES, r#"<simpleType name="ManagedEntityStatus">"#, r#"<simpleType name="Managed&#69;ntityStatus">"#);
    let r = run(&[("spec/types.xsd", &ok)]);
    assert!(r.diags.list.is_empty(), "{}", r.diags.render_all(&r.sources));
    assert!(r.schema.enum_type("ManagedEntityStatus").is_some());

    let bad = edit(TYPES, r#"<enumeration value="gray" />"#, r#"<enumeration value="gr&bogus;ay" />"#);
    let r = run(&[("spec/types.xsd", &bad)]);
    let d = r.only(Kind::WsdlXmlSyntax);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/types.xsd", &bad, "&bogus;"));
    assert_eq!(r.schema.enum_type("ManagedEntityStatus").map(|e| e.values.clone()), Some(vec!["green".to_string()]));
}

#[test]
fn missing_gt_reported_at_the_unclosed_tag() {
    let bad = edit(WSDL, r#"<operation name="Logout">"#, r#"<operation name="Logout""#);
    let r = run(&[("spec/vim.wsdl", &bad), ("spec/types.xsd", TYPES)]);
    let d = r.only(Kind::WsdlXmlSyntax);
    let span = d.span.expect("span");
    assert_eq!(r.at(span), line_of("spec/vim.wsdl", &bad, r#"<operation name="Logout""#));
    assert_eq!(&bad[span.start as usize..span.end as usize], r#"<operation name="Logout""#);
    // The included schema is still read.
    assert!(r.schema.complex_type("UserSession").is_some());
}

#[test]
fn soap_action_span() {
    let r = run_default();
    let login = r.schema.operation("Login").expect("Login");
    let span = login.soap_action_span.expect("span");
    assert_eq!(&WSDL[span.start as usize..span.end as usize], "urn:vim25/5.5");
    let at = WSDL.find(r#"<soap:operation soapAction="urn:vim25/5.5""#).expect("fixture");
    assert_eq!(r.at(span), format!("spec/vim.wsdl:{}", WSDL[..at].matches('\n').count() + 1));
}

/// `KINDS` lists exactly the kinds the code emits.
#[test]
fn kinds_table_is_complete() {
    let code = [include_str!("../scan.rs"), include_str!("../join.rs"), include_str!("../parse.rs")].concat();
    let emitted = |k: &Kind| {
        let name = format!("Kind::{k:?}");
        code.match_indices(&name).any(|(i, _)| !code[i + name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
    };
    let mut listed: Vec<Kind> = crate::wsdl::KINDS.to_vec();
    listed.sort();
    let mut found: Vec<Kind> = Kind::ALL.iter().copied().filter(emitted).collect();
    found.sort();
    assert_eq!(found, listed);
}

/// 9.x: `vim-types.xsd` imports `urn:vsan` and pulls its groups into vim25 types with
/// `<group ref>`; the foreign types the groups reach come along, the others (and a foreign
/// type repeating a vim25 name) stay out.
const VSAN: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<schema targetNamespace="urn:vsan" xmlns="http://www.w3.org/2001/XMLSchema"
   xmlns:vsan="urn:vsan" xmlns:vim25="urn:vim25" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
   <complexType name="DynamicData">
      <sequence><element name="other" type="xsd:int" /></sequence>
   </complexType>
   <complexType name="VsanItem">
      <sequence><element name="state" type="vsan:VsanState" /></sequence>
   </complexType>
   <simpleType name="VsanState">
      <restriction base="xsd:string"><enumeration value="up" /></restriction>
   </simpleType>
   <complexType name="VsanUnused">
      <sequence><element name="x" type="xsd:int" /></sequence>
   </complexType>
   <element name="VsanOnly" type="vsan:VsanUnused" />
   <group name="UserSessionGroup1">
      <sequence>
         <element name="items" type="vsan:VsanItem" minOccurs="0" maxOccurs="unbounded" />
         <element name="owner" type="vim25:ManagedObjectReference" minOccurs="0" />
      </sequence>
   </group>
</schema>
"#;

#[test]
fn groups_of_an_imported_namespace_are_spliced() {
    let types = edit(
        TYPES,
        r#"xmlns:xsd="http://www.w3.org/2001/XMLSchema">"#,
        r#"xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:vsan="urn:vsan">
   <import namespace="urn:vsan" schemaLocation="vsan-types.xsd" />"#,
    );
    let types = edit(
        &types,
        r#"<element name="loginTime" type="xsd:dateTime" />"#,
        r#"<element name="loginTime" type="xsd:dateTime" />
               <group ref="vsan:UserSessionGroup1" />"#,
    );
    let r = run(&[("spec/vim.wsdl", WSDL), ("spec/types.xsd", &types), ("spec/vsan-types.xsd", VSAN)]);
    assert!(r.diags.list.is_empty(), "{}", r.diags.render_all(&r.sources));
    let us = r.schema.complex_type("UserSession").expect("UserSession");
    let names: Vec<_> = us.elements.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["key", "loginTime", "items", "owner", "status", "extensionSession"]);
    assert!(us.elements[2].is_array());
    assert!(r.schema.complex_type("VsanItem").is_some(), "reached through the group");
    assert!(r.schema.enum_type("VsanState").is_some(), "reached through VsanItem");
    assert!(r.schema.complex_type("VsanUnused").is_none(), "not reached");
    let dd = r.schema.complex_type("DynamicData").expect("DynamicData");
    assert_eq!(dd.elements[0].name, "dynamicType", "vim25's own DynamicData wins");
}

#[test]
fn unknown_group_is_an_error() {
    let types = edit(
        TYPES,
        r#"<element name="loginTime" type="xsd:dateTime" />"#,
        r#"<element name="loginTime" type="xsd:dateTime" />
               <group ref="vim25:NoSuchGroup" />"#,
    );
    let r = run(&[("spec/vim.wsdl", WSDL), ("spec/types.xsd", &types)]);
    let d = r.only(Kind::WsdlUnknownGroup);
    assert_eq!(d.severity(), Severity::Error);
    assert_eq!(r.at(d.span.expect("span")), line_of("spec/types.xsd", &types, "NoSuchGroup"));
}
