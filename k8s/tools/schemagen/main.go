// Command schemagen writes one standalone JSON Schema per built-in Kubernetes kind, in the layout kubeconform
// reads with -schema-location 'DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json' (deployment-apps-v1.json,
// service-v1.json, networkpolicy-networking-v1.json, ...).
//
// Why: kubeconform's schemas normally come from GitHub, which CI cannot reach. The same information ships in
// the Go module k8s.io/client-go: the structured-merge-diff schema of every built-in type (the one server-side
// apply uses), reachable through applyconfigurations.NewTypeConverter. Its field names, nesting and scalar
// types are the API's own, so an unknown or misspelt field, a wrong type or a wrong apiVersion for a kind
// fails validation. It does not carry "required" or enum facts; the e2e test checks the fields we rely on.
//
// Versions that the Kubernetes release of k8s.io/api (see go.mod) no longer serves, such as
// extensions/v1beta1 Ingress, get no schema, so a manifest using one fails ("could not find schema").
//
// Usage: schemagen OUT_DIR
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	rschema "k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/applyconfigurations"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/structured-merge-diff/v6/schema"
)

type jsonSchema = map[string]any

// servedUpTo is the Kubernetes minor version whose API the schemas describe: k8s.io/api v0.37 is Kubernetes 1.37.
const servedUpTo = 37

// removable is implemented by beta API types (prerelease-lifecycle-gen): the release that stops serving them.
type removable interface{ APILifecycleRemoved() (major, minor int) }

// converter turns structured-merge-diff types into JSON Schema definitions, collecting the named ones it needs.
type converter struct {
	types map[string]schema.TypeDef
	defs  map[string]jsonSchema
}

func nullable(t string) []string { return []string{t, "null"} }

func defName(name string) string { return strings.ReplaceAll(name, "/", "~1") }

func (c *converter) ref(tr schema.TypeRef) jsonSchema {
	if tr.NamedType != nil {
		name := *tr.NamedType
		if strings.HasPrefix(name, "__untyped") { // free-form: atomic or deduced values of any shape
			return jsonSchema{}
		}
		if _, done := c.defs[name]; !done {
			td, ok := c.types[name]
			if !ok {
				panic("unknown type " + name)
			}
			c.defs[name] = jsonSchema{} // placeholder: recursive types (JSONSchemaProps) refer to themselves
			c.defs[name] = c.atom(td.Atom)
		}
		return jsonSchema{"$ref": "#/definitions/" + defName(name)}
	}
	return c.atom(tr.Inlined)
}

func (c *converter) atom(a schema.Atom) jsonSchema {
	switch {
	case a.Scalar != nil:
		switch *a.Scalar {
		case schema.Numeric:
			return jsonSchema{"type": nullable("number")}
		case schema.String:
			return jsonSchema{"type": nullable("string")}
		case schema.Boolean:
			return jsonSchema{"type": nullable("boolean")}
		default: // untyped: IntOrString, Quantity, RawExtension, ...
			return jsonSchema{}
		}
	case a.List != nil:
		return jsonSchema{"type": nullable("array"), "items": c.ref(a.List.ElementType)}
	case a.Map != nil:
		out := jsonSchema{"type": nullable("object")}
		if len(a.Map.Fields) > 0 {
			props := jsonSchema{}
			for _, f := range a.Map.Fields {
				props[f.Name] = c.ref(f.Type)
			}
			out["properties"] = props
			out["additionalProperties"] = false // strict: unknown fields are errors
		}
		if a.Map.ElementType.NamedType != nil || a.Map.ElementType.Inlined != (schema.Atom{}) {
			out["additionalProperties"] = c.ref(a.Map.ElementType)
		}
		return out
	}
	return jsonSchema{}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: schemagen OUT_DIR")
		os.Exit(2)
	}
	out := os.Args[1]
	if err := os.MkdirAll(out, 0o755); err != nil {
		panic(err)
	}
	tc := applyconfigurations.NewTypeConverter(scheme.Scheme)

	var gvks []rschema.GroupVersionKind
	for gvk := range scheme.Scheme.AllKnownTypes() {
		if gvk.Version == runtime.APIVersionInternal || strings.HasSuffix(gvk.Kind, "List") ||
			strings.HasSuffix(gvk.Kind, "Options") || gvk.Kind == "WatchEvent" || gvk.Kind == "Status" {
			continue
		}
		gvks = append(gvks, gvk)
	}
	sort.Slice(gvks, func(i, j int) bool { return gvks[i].String() < gvks[j].String() })

	written := 0
	for _, gvk := range gvks {
		obj, err := scheme.Scheme.New(gvk)
		if err != nil {
			continue
		}
		if r, ok := obj.(removable); ok {
			if major, minor := r.APILifecycleRemoved(); major == 1 && minor <= servedUpTo {
				continue
			}
		}
		obj.GetObjectKind().SetGroupVersionKind(gvk)
		tv, err := tc.ObjectToTyped(obj)
		if err != nil || tv.TypeRef().NamedType == nil {
			continue // not a top-level API object in the SSA schema (e.g. option kinds)
		}
		s := tv.Schema()
		c := &converter{types: map[string]schema.TypeDef{}, defs: map[string]jsonSchema{}}
		for _, td := range s.Types {
			c.types[td.Name] = td
		}
		root := c.atom(c.types[*tv.TypeRef().NamedType].Atom)
		root["type"] = "object"
		root["required"] = []string{"apiVersion", "kind"}
		props := root["properties"].(jsonSchema)
		props["apiVersion"] = jsonSchema{"type": "string", "enum": []string{gvk.GroupVersion().String()}}
		props["kind"] = jsonSchema{"type": "string", "enum": []string{gvk.Kind}}
		defs := jsonSchema{}
		for name, d := range c.defs {
			defs[defName(name)] = d
		}
		root["definitions"] = defs
		root["$schema"] = "http://json-schema.org/draft-07/schema#"
		root["description"] = fmt.Sprintf("%s %s, from k8s.io/client-go applyconfigurations (structured-merge-diff schema)", gvk.GroupVersion(), gvk.Kind)

		// kubeconform's KindSuffix: "-" + first label of the group (or the version for core) + "-" + version.
		suffix := "-" + strings.ToLower(gvk.Version)
		if gvk.Group != "" {
			suffix = "-" + strings.ToLower(strings.Split(gvk.Group, ".")[0]) + "-" + strings.ToLower(gvk.Version)
		}
		file := filepath.Join(out, strings.ToLower(gvk.Kind)+suffix+".json")
		data, err := json.Marshal(root)
		if err != nil {
			panic(err)
		}
		if err := os.WriteFile(file, data, 0o644); err != nil {
			panic(err)
		}
		written++
	}
	fmt.Printf("schemagen: wrote %d schemas to %s\n", written, out)
}
