"""The type stub describes the compiled module as it is: the same methods, parameters,
defaults and docstrings."""

import ast
import inspect
from pathlib import Path

import pactbase
from pactbase import _pactbase

STUB = Path(pactbase.__file__).with_name("_pactbase.pyi")


def stub_class(name):
    tree = ast.parse(STUB.read_text())
    return next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == name)


def test_the_stub_matches_the_module():
    stub = stub_class("Registry")
    assert inspect.cleandoc(ast.get_docstring(stub)) == inspect.getdoc(_pactbase.Registry)
    stubbed = {f.name: f for f in stub.body if isinstance(f, ast.FunctionDef)}
    public = {name for name in dir(_pactbase.Registry) if not name.startswith("_")}
    assert public == set(stubbed) - {"__init__"}
    for name, function in stubbed.items():
        runtime = getattr(_pactbase.Registry, name)
        if name == "__init__":
            runtime = _pactbase.Registry
        elif isinstance(runtime, property) or inspect.isgetsetdescriptor(runtime):
            assert ast.get_docstring(function) == inspect.getdoc(runtime), name
            continue
        else:
            assert ast.get_docstring(function) == inspect.getdoc(runtime), name
        parameters = [p for p in inspect.signature(runtime).parameters.values() if p.name != "self"]
        arguments = function.args.args[1:] + function.args.kwonlyargs
        assert [a.arg for a in arguments] == [p.name for p in parameters], name
        defaults = [ast.literal_eval(d) for d in function.args.defaults + function.args.kw_defaults if d is not None]
        expected = [p.default for p in parameters if p.default is not inspect.Parameter.empty]
        assert defaults == expected, name
